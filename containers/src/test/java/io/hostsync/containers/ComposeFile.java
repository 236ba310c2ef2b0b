package io.hostsync.containers;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A Docker Compose file of {@code containers/deploy}, read the way the tests apply it: for each
 * service, its IPC mode, {@code /dev/shm} size, environment and volumes. The tests bring their
 * own image and command, and start each service as one container with no network. A key the
 * tests would not apply is refused, so that the files shown in docs/deployment.md hold nothing
 * that the tests silently skip.
 *
 * @param path the file
 * @param services the services, in file order
 * @param volumes the named volumes, with their driver options
 */
record ComposeFile(Path path, List<Service> services, Map<String, Map<String, String>> volumes) {

    /** The keys of a service that the tests apply or, for these two, replace with their own. */
    private static final Set<String> SERVICE_KEYS = Set.of("image", "command", "ipc", "shm_size", "environment",
            "volumes", "depends_on");

    /**
     * Returns a file of {@code containers/deploy}.
     *
     * @param name the file name, such as {@code compose.yaml}
     * @return the parsed file
     */
    static ComposeFile of(String name) {
        return read(DeployFiles.path(name));
    }

    /**
     * Reads and checks a Compose file.
     *
     * @param path the file
     * @return the parsed file
     * @throws IllegalArgumentException naming the service and key the tests cannot apply
     */
    @SuppressWarnings("unchecked")
    static ComposeFile read(Path path) {
        Map<String, Object> document;
        try (Reader reader = Files.newBufferedReader(path)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        List<Service> services = new ArrayList<>();
        Map<String, Object> declared = (Map<String, Object>) document.get("services");
        declared.forEach((name, value) -> services.add(Service.of(path, name, (Map<String, Object>) value)));
        Map<String, Map<String, String>> volumes = new LinkedHashMap<>();
        Map<String, Object> declaredVolumes = (Map<String, Object>) document.getOrDefault("volumes", Map.of());
        declaredVolumes.forEach((name, value) -> {
            Map<String, Object> volume = (value != null) ? (Map<String, Object>) value : Map.of();
            Map<String, String> options = new LinkedHashMap<>();
            ((Map<String, Object>) volume.getOrDefault("driver_opts", Map.of()))
                    .forEach((key, option) -> options.put(key, String.valueOf(option)));
            volumes.put(name, options);
        });
        return new ComposeFile(path, List.copyOf(services), volumes);
    }

    /**
     * Returns a service by name.
     *
     * @param name the service name
     * @return the service
     */
    Service service(String name) {
        return this.services.stream()
                .filter((service) -> service.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(this.path + " has no service " + name));
    }

    /**
     * One service.
     *
     * @param name its name, also the host name of its container in the tests
     * @param ipc its IPC mode ({@code shareable}, {@code service:<name>}, {@code private}), or {@code null}
     * @param shmSize its {@code /dev/shm} size, such as {@code 64m}, or {@code null}
     * @param environment its environment
     * @param volumes its volumes, as {@code <volume>:<path>}
     */
    record Service(String name, String ipc, String shmSize, Map<String, String> environment, List<String> volumes) {

        @SuppressWarnings("unchecked")
        static Service of(Path path, String name, Map<String, Object> service) {
            for (String key : service.keySet()) {
                if (!SERVICE_KEYS.contains(key)) {
                    throw new IllegalArgumentException("Service " + name + " of " + path + " sets " + key
                            + ", which the container tests do not apply; they apply " + SERVICE_KEYS
                            + ". Remove it, or teach ComposeFile and Cluster to apply it.");
                }
            }
            Map<String, String> environment = new LinkedHashMap<>();
            Object declared = service.getOrDefault("environment", Map.of());
            if (declared instanceof Map<?, ?> map) {
                map.forEach((key, value) -> environment.put(String.valueOf(key), String.valueOf(value)));
            } else {
                for (Object entry : (List<Object>) declared) {
                    String[] pair = String.valueOf(entry).split("=", 2);
                    environment.put(pair[0], (pair.length > 1) ? pair[1] : "");
                }
            }
            List<String> volumes = new ArrayList<>();
            ((List<Object>) service.getOrDefault("volumes", List.of()))
                    .forEach((volume) -> volumes.add(String.valueOf(volume)));
            Object shmSize = service.get("shm_size");
            return new Service(name, (String) service.get("ipc"), (shmSize != null) ? String.valueOf(shmSize) : null,
                    Map.copyOf(environment), List.copyOf(volumes));
        }

        /**
         * Returns a copy with other environment variables added or replaced, as a test needs
         * them (another backend, a persistent directory).
         *
         * @param extra the variables to add
         * @return the service with them
         */
        Service withEnvironment(Map<String, String> extra) {
            Map<String, String> merged = new LinkedHashMap<>(this.environment);
            merged.putAll(extra);
            return new Service(this.name, this.ipc, this.shmSize, Map.copyOf(merged), this.volumes);
        }
    }
}

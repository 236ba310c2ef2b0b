package io.hostsync.containers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import org.testcontainers.DockerClientFactory;

import io.hostsync.containers.ComposeFile.Service;

/**
 * Driver containers started from the services of a Compose file, the way Docker Compose would
 * run them: a service with {@code ipc: shareable} first, then the services that join it with
 * {@code ipc: "service:<name>"}, each with its {@code shm_size}, environment and named volumes
 * (a tmpfs volume at {@code /dev/shm}, for instance). Closing it removes every container and
 * volume it created.
 */
final class Cluster implements AutoCloseable {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([bkmg]?)b?", Pattern.CASE_INSENSITIVE);

    private final ComposeFile file;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private final Map<String, DriverContainer> containers = new LinkedHashMap<>();

    private final List<DriverContainer> all = new ArrayList<>();

    private final Map<String, String> volumes = new LinkedHashMap<>();

    private Cluster(ComposeFile file) {
        this.file = file;
    }

    /**
     * Starts every service of a Compose file, each as one driver container.
     *
     * @param file the Compose file
     * @param environment variables to add to every service, as a test needs them
     * @param customizer changes each container before it starts (mounts, for instance)
     * @return the running cluster
     */
    static Cluster start(ComposeFile file, Map<String, String> environment, Consumer<DriverContainer> customizer) {
        Cluster cluster = of(file);
        try {
            List<Service> pending = new ArrayList<>();
            file.services().forEach((service) -> pending.add(service.withEnvironment(environment)));
            while (!pending.isEmpty()) {
                List<Service> wave = pending.stream().filter(cluster::canStart).toList();
                if (wave.isEmpty()) {
                    throw new IllegalArgumentException("In " + file.path() + ", the services " + pending
                            + " join the IPC namespace of a service that is not in the file");
                }
                pending.removeAll(wave);
                List<CompletableFuture<Void>> starts = new ArrayList<>();
                for (Service service : wave) {
                    DriverContainer container = cluster.create(service);
                    customizer.accept(container);
                    starts.add(CompletableFuture.runAsync(container::start));
                }
                join(starts);
            }
            return cluster;
        } catch (RuntimeException | Error ex) {
            try {
                cluster.close();
            } catch (RuntimeException cleanup) {
                ex.addSuppressed(cleanup);
            }
            throw ex;
        }
    }

    /**
     * Returns a cluster of a Compose file with no container yet, to start services one by one
     * with {@link #create(Service)}.
     *
     * @param file the Compose file
     * @return the empty cluster
     */
    static Cluster of(ComposeFile file) {
        return new Cluster(file);
    }

    /**
     * Starts every service of a Compose file as it is.
     *
     * @param file the Compose file
     * @return the running cluster
     */
    static Cluster start(ComposeFile file) {
        return start(file, Map.of(), (container) -> {
        });
    }

    /**
     * Creates, but does not start, one more container for a service of the file, which joins
     * the running containers as the file says (its IPC mode may name a running service).
     * Closing the cluster removes it too.
     *
     * @param service the service
     * @return the container, to configure further and start
     */
    DriverContainer create(Service service) {
        DriverContainer container = new DriverContainer(service.name());
        service.environment().forEach(container::withEnv);
        String ipc = ipcMode(service);
        List<Mount> mounts = mounts(service);
        container.withCreateContainerCmdModifier((create) -> {
            if (ipc != null) {
                create.getHostConfig().withIpcMode(ipc);
            }
            if (!mounts.isEmpty()) {
                create.getHostConfig().withMounts(mounts);
            }
        });
        if (service.shmSize() != null) {
            container.withSharedMemorySize(bytes(service.shmSize()));
        }
        this.containers.putIfAbsent(service.name(), container);
        this.all.add(container);
        return container;
    }

    /**
     * Returns the first container started for a service.
     *
     * @param service the service name
     * @return its container
     */
    DriverContainer get(String service) {
        DriverContainer container = this.containers.get(service);
        if (container == null) {
            throw new IllegalArgumentException("No service " + service + " in " + this.file.path());
        }
        return container;
    }

    /**
     * Returns the first container of every service, in file order.
     *
     * @return the containers
     */
    List<DriverContainer> drivers() {
        return List.copyOf(this.containers.values());
    }

    /**
     * Stops and removes the containers, joiners before the services they join.
     */
    void stopAll() {
        RuntimeException failure = null;
        for (int index = this.all.size() - 1; index >= 0; index--) {
            try {
                this.all.get(index).stop();
            } catch (RuntimeException ex) {
                failure = first(failure, ex);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Removes every container and volume of the cluster, going on past a failure to remove one. */
    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            stopAll();
        } catch (RuntimeException ex) {
            failure = ex;
        }
        DockerClient docker = DockerClientFactory.instance().client();
        for (String volume : this.volumes.values()) {
            try {
                docker.removeVolumeCmd(volume).exec();
            } catch (RuntimeException ex) {
                failure = first(failure, ex);
            }
        }
        this.volumes.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException first(RuntimeException failure, RuntimeException next) {
        if (failure == null) {
            return next;
        }
        failure.addSuppressed(next);
        return failure;
    }

    private boolean canStart(Service service) {
        String ipc = service.ipc();
        return ipc == null || !ipc.startsWith("service:") || this.containers.containsKey(ipc.substring(8));
    }

    /** Compose's {@code service:<name>} is Docker's {@code container:<id>}; the other modes are the same. */
    private String ipcMode(Service service) {
        String ipc = service.ipc();
        if (ipc != null && ipc.startsWith("service:")) {
            return "container:" + get(ipc.substring("service:".length())).getContainerId();
        }
        return ipc;
    }

    private List<Mount> mounts(Service service) {
        List<Mount> mounts = new ArrayList<>();
        for (String volume : service.volumes()) {
            String[] parts = volume.split(":");
            if (parts.length < 2 || !this.file.volumes().containsKey(parts[0])) {
                throw new IllegalArgumentException("Service " + service.name() + " of " + this.file.path()
                        + " mounts " + volume + ": the tests mount only named volumes declared in the file");
            }
            mounts.add(new Mount().withType(MountType.VOLUME)
                    .withSource(volume(parts[0]))
                    .withTarget(parts[1])
                    .withReadOnly(parts.length > 2 && parts[2].equals("ro")));
        }
        return mounts;
    }

    /** Creates a named volume of the file once per cluster, under a name of its own. */
    private String volume(String name) {
        return this.volumes.computeIfAbsent(name, (key) -> {
            String created = "hostsync-test-" + this.run + "-" + key;
            DockerClientFactory.instance()
                    .client()
                    .createVolumeCmd()
                    .withName(created)
                    .withDriver("local")
                    .withDriverOpts(this.file.volumes().get(key))
                    .withLabels(Map.of(DriverContainer.LABEL, "test"))
                    .exec();
            return created;
        });
    }

    /** A Compose size, such as {@code 64m}, in bytes. */
    static long bytes(String size) {
        Matcher matcher = SIZE.matcher(size.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a Compose size: " + size);
        }
        long value = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> value << 10;
            case "m" -> value << 20;
            case "g" -> value << 30;
            default -> value;
        };
    }

    private static void join(List<CompletableFuture<Void>> starts) {
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw ex;
        }
    }
}

package io.hostsync.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.hostsync.containers.ComposeFile.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment examples of {@code containers/deploy} are the ones docs/deployment.md shows, to
 * the byte, and say what the guide says: every container sees one {@code /dev/shm}, and every
 * process asks for the same region settings. The Compose files are also what the container
 * tests run; the Kubernetes file, which no test can run here, is checked by reading it. Needs no
 * Docker.
 */
class DeploymentFilesTest {

    private static final List<String> FILES = List.of("compose.yaml", "compose.shm-volume.yaml", "kubernetes.yaml");

    @ParameterizedTest
    @ValueSource(strings = { "compose.yaml", "compose.shm-volume.yaml", "kubernetes.yaml" })
    void theDeploymentGuideShowsTheFileAsItIs(String name) throws IOException {
        String guide = Files.readString(DeployFiles.guide());
        Matcher block = Pattern.compile("<!-- containers/deploy/" + Pattern.quote(name) + " -->\\n```yaml\\n(.*?)```",
                Pattern.DOTALL).matcher(guide);
        assertThat(block.find())
                .as("docs/deployment.md shows containers/deploy/%s after a marker <!-- containers/deploy/%s -->",
                        name, name)
                .isTrue();
        assertThat(block.group(1)).as("the copy of %s in docs/deployment.md", name)
                .isEqualTo(Files.readString(DeployFiles.path(name)));
    }

    @Test
    void everyDeploymentFileIsShownInTheGuide() throws IOException {
        try (var files = Files.list(DeployFiles.path("compose.yaml").getParent())) {
            assertThat(files.map((path) -> path.getFileName().toString())).containsExactlyInAnyOrderElementsOf(FILES);
        }
    }

    @Test
    void inTheIpcComposeFileOneServiceOwnsTheIpcNamespaceAndTheOthersJoinIt() {
        ComposeFile file = ComposeFile.of("compose.yaml");
        List<Service> owners = file.services().stream().filter((service) -> "shareable".equals(service.ipc())).toList();
        assertThat(owners).hasSize(1);
        Service owner = owners.get(0);
        assertThat(owner.shmSize()).as("room for the regions").isNotNull();
        assertThat(file.services()).hasSizeGreaterThanOrEqualTo(3)
                .filteredOn((service) -> service != owner)
                .allSatisfy((service) -> assertThat(service.ipc()).isEqualTo("service:" + owner.name()));
    }

    @Test
    void inTheVolumeComposeFileEveryServiceMountsOneTmpfsVolumeAtDevShm() {
        ComposeFile file = ComposeFile.of("compose.shm-volume.yaml");
        assertThat(file.services()).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy((service) -> assertThat(service.volumes()).containsExactly("shm:/dev/shm"));
        assertThat(file.volumes().get("shm")).containsEntry("type", "tmpfs").containsEntry("device", "tmpfs");
    }

    @ParameterizedTest
    @ValueSource(strings = { "compose.yaml", "compose.shm-volume.yaml" })
    void everyServiceOfAComposeFileAsksForTheSameRegionSettings(String name) {
        Set<Map<String, String>> settings = ComposeFile.of(name)
                .services()
                .stream()
                .map((service) -> hostsyncSettings(service.environment()))
                .collect(Collectors.toSet());
        assertThat(settings).hasSize(1);
        assertThat(settings.iterator().next()).containsKey("HOSTSYNC_REGIONS_ORDERS_SIZE");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKubernetesPodSharesAMemoryBackedEmptyDirAtDevShmAndOneRegionSetting() throws IOException {
        Map<String, Object> deployment;
        try (Reader reader = Files.newBufferedReader(DeployFiles.path("kubernetes.yaml"))) {
            deployment = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) deployment
                .get("spec")).get("template")).get("spec");
        List<Map<String, Object>> volumes = (List<Map<String, Object>>) pod.get("volumes");
        assertThat(volumes).hasSize(1);
        assertThat(volumes.get(0)).containsEntry("name", "shm");
        assertThat((Map<String, Object>) volumes.get(0).get("emptyDir")).containsEntry("medium", "Memory");
        List<Map<String, Object>> containers = (List<Map<String, Object>>) pod.get("containers");
        assertThat(containers).hasSizeGreaterThanOrEqualTo(2);
        Set<Map<String, String>> settings = new HashSet<>();
        for (Map<String, Object> container : containers) {
            assertThat((List<Map<String, Object>>) container.get("volumeMounts")).as("%s", container.get("name"))
                    .containsExactly(Map.of("name", "shm", "mountPath", "/dev/shm"));
            Map<String, String> environment = ((List<Map<String, Object>>) container.get("env")).stream()
                    .collect(Collectors.toMap((variable) -> (String) variable.get("name"),
                            (variable) -> String.valueOf(variable.get("value"))));
            settings.add(hostsyncSettings(environment));
        }
        assertThat(settings).as("every container asks for the same region settings").hasSize(1);
    }

    @Test
    void aComposeKeyTheTestsWouldNotApplyIsRefused(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("compose.yaml"), """
                services:
                  orders-1:
                    ipc: shareable
                    network_mode: host
                """);
        assertThatIllegalArgumentException().isThrownBy(() -> ComposeFile.read(file))
                .withMessageContaining("orders-1")
                .withMessageContaining("network_mode");
    }

    private static Map<String, String> hostsyncSettings(Map<String, String> environment) {
        return environment.entrySet()
                .stream()
                .filter((variable) -> variable.getKey().startsWith("HOSTSYNC_"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}

package io.hostsync.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.hostsync.containers.ComposeFile.Service;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 5: two containers that share nothing ({@code ipc: private}, no volume at
 * {@code /dev/shm}) each get a region of their own under the same name, as docs/deployment.md
 * warns: nothing they do is seen by the other, and their locks do not exclude each other.
 */
class SeparateIpcNamespacesTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("HOSTSYNC_REGIONS_ORDERS_SIZE", "1MB");

    @BeforeEach
    void requireDocker() {
        DockerEngine.require();
    }

    @Test
    void containersWithoutSharedIpcGetSeparateRegionsThatShareNothing() {
        ComposeFile unshared = new ComposeFile(Path.of("(two private IPC namespaces)"),
                List.of(new Service("alone-1", "private", null, ENVIRONMENT, List.of()),
                        new Service("alone-2", "private", null, ENVIRONMENT, List.of())),
                Map.of());
        try (Cluster cluster = Cluster.start(unshared)) {
            DriverContainer first = cluster.get("alone-1");
            DriverContainer second = cluster.get("alone-2");
            for (DriverContainer driver : cluster.drivers()) {
                JsonNode self = driver.get("/driver/self");
                assertThat(self.get("createdByThisProcess").asBoolean()).as("%s created its own region", driver)
                        .isTrue();
                assertThat(self.get("participants")).as("%s is alone in it: %s", driver, self).hasSize(1);
                assertThat(self.get("file").asString()).isEqualTo("/dev/shm/hostsync-orders");
            }

            first.post("/driver/counter?delta=7&times=1&threads=1");
            first.put("/driver/prices", """
                    {"revision": 1, "prices": {"apple": 120}, "writtenBy": "alone-1"}""");
            assertThat(second.get("/driver/counter").get("value").asLong()).isZero();
            assertThat(second.get("/driver/prices").get("table").isNull()).as("no value was ever set in its region")
                    .isTrue();

            assertThat(first.post("/driver/hold-write").get("held").asBoolean()).isTrue();
            assertThat(second.post("/driver/hold-write?timeoutSeconds=10").get("held").asBoolean())
                    .as("two write locks of the same name, held at once: they are not one lock")
                    .isTrue();
            first.post("/driver/release-write");
            second.post("/driver/release-write");
        }
    }
}

package io.hostsync.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 4, second half: a region in a directory on disk mounted into every container
 * ({@code hostsync.regions.orders.directory}) outlives all of them: stopped and removed, they
 * leave a region with no participant and all its state, which the next container joins.
 */
class PersistentRegionTest {

    private static final String DIRECTORY_IN_CONTAINER = "/var/lib/hostsync";

    private static final Map<String, String> PERSISTENT = Map.of("HOSTSYNC_REGIONS_ORDERS_DIRECTORY",
            DIRECTORY_IN_CONTAINER);

    @TempDir
    Path directory;

    @BeforeEach
    void requireDocker() {
        DockerEngine.require();
    }

    @Test
    void aRegionInAPersistentDirectoryOutlivesEveryContainerAndTheNextOneJoinsIt() {
        ComposeFile file = ComposeFile.of("compose.yaml");
        String created;
        try (Cluster cluster = Cluster.start(file, PERSISTENT,
                (container) -> container.withDirectory(this.directory, DIRECTORY_IN_CONTAINER))) {
            DriverContainer first = cluster.get("orders-1");
            JsonNode self = first.get("/driver/self");
            assertThat(self.get("file").asString()).isEqualTo(DIRECTORY_IN_CONTAINER + "/hostsync-orders");
            assertThat(self.get("participants")).hasSize(3);
            created = self.get("created").asString();
            first.post("/driver/counter?delta=42&times=1&threads=1");
            cluster.get("orders-2").put("/driver/prices", """
                    {"revision": 3, "prices": {"apple": 120}, "writtenBy": "orders-2"}""");

            cluster.stopAll();

            Path regionFile = this.directory.resolve("hostsync-orders");
            assertThat(regionFile).as("the region file outlived every container").isRegularFile();
            try (SharedRegion region = SharedRegion
                    .open(RegionOptions.builder("orders").directory(this.directory).build())) {
                assertThat(region.createdByThisProcess()).isFalse();
                assertThat(region.participants()).as("no container is left in the region").hasSize(1)
                        .allSatisfy((participant) -> assertThat(participant.self()).isTrue());
                assertThat(region.state().counter("hits").get()).isEqualTo(42);
                assertThat(region.header().created().toString()).isEqualTo(created);
            }

            DriverContainer next = cluster.create(file.service("orders-1").withEnvironment(PERSISTENT))
                    .withDirectory(this.directory, DIRECTORY_IN_CONTAINER);
            next.start();
            JsonNode joined = next.get("/driver/self");
            assertThat(joined.get("createdByThisProcess").asBoolean()).as("%s", joined).isFalse();
            assertThat(joined.get("created").asString()).isEqualTo(created);
            assertThat(joined.get("participants")).hasSize(1);
            assertThat(next.get("/driver/counter").get("value").asLong()).isEqualTo(42);
            assertThat(next.get("/driver/prices").at("/table/revision").asLong()).isEqualTo(3);
        }
        assertThat(Files.exists(this.directory.resolve("hostsync-orders"))).isTrue();
    }
}

package io.hostsync.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 2: shared state across three containers, with both ways of sharing {@code /dev/shm}
 * that docs/deployment.md shows for Docker Compose, one subclass each: an IPC namespace
 * ({@code deploy/compose.yaml}) and a tmpfs volume ({@code deploy/compose.shm-volume.yaml}).
 */
abstract class SharedStateAcrossContainersTest {

    /** Additions per thread, each container adding with four threads at once. */
    private static final int ADDITIONS_PER_THREAD = 5000;

    private static final int THREADS = 4;

    private static Cluster cluster;

    /** Starts the services of a Compose file for the tests of a subclass. */
    static void startContainers(String composeFile) {
        DockerEngine.require();
        cluster = Cluster.start(ComposeFile.of(composeFile));
        ExclusionAcrossContainersTest.assertEveryJvmIsPidOneOfItsOwnNamespaceInOneRegion(cluster.drivers());
    }

    @AfterAll
    static void removeContainers() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    @Test
    void aValueSetInOneContainerIsSeenByTheOthersAtOnce() {
        DriverContainer first = cluster.get("orders-1");
        DriverContainer second = cluster.get("orders-2");
        DriverContainer third = cluster.get("orders-3");

        long version = first.put("/driver/prices", table(7, "orders-1")).get("version").asLong();
        for (DriverContainer reader : List.of(second, third)) {
            JsonNode seen = reader.get("/driver/prices");
            assertThat(seen.get("version").asLong()).as("%s: %s", reader, seen).isEqualTo(version);
            assertThat(seen.at("/table/revision").asLong()).as("%s: %s", reader, seen).isEqualTo(7);
            assertThat(seen.at("/table/writtenBy").asString()).isEqualTo("orders-1");
            assertThat(seen.at("/table/prices/apple").asLong()).isEqualTo(120);
        }

        third.put("/driver/prices", table(8, "orders-3"));
        JsonNode replaced = first.get("/driver/prices");
        assertThat(replaced.get("version").asLong()).as("replaced from another container: %s", replaced)
                .isGreaterThan(version);
        assertThat(replaced.at("/table/revision").asLong()).isEqualTo(8);
        assertThat(replaced.at("/table/writtenBy").asString()).isEqualTo("orders-3");
    }

    @Test
    void countersAddedToFromEveryContainerAtOnceSumExactly() {
        List<DriverContainer> drivers = cluster.drivers();
        long before = drivers.get(0).get("/driver/counter").get("value").asLong();
        // A different step per container, so that a lost addition shows whose it was.
        long[] steps = { 1, 1_000, 1_000_000 };
        List<CompletableFuture<JsonNode>> additions = new ArrayList<>();
        long expected = before;
        for (int index = 0; index < drivers.size(); index++) {
            DriverContainer driver = drivers.get(index);
            String path = "/driver/counter?delta=" + steps[index] + "&times=" + ADDITIONS_PER_THREAD + "&threads="
                    + THREADS;
            additions.add(CompletableFuture.supplyAsync(() -> driver.post(path)));
            expected += steps[index] * ADDITIONS_PER_THREAD * THREADS;
        }
        additions.forEach(CompletableFuture::join);
        for (DriverContainer driver : drivers) {
            assertThat(driver.get("/driver/counter").get("value").asLong()).as("the counter seen from %s", driver)
                    .isEqualTo(expected);
        }
    }

    private static String table(long revision, String writer) {
        return """
                {"revision": %d, "prices": {"apple": 120, "pear": 95}, "writtenBy": "%s"}""".formatted(revision,
                writer);
    }
}

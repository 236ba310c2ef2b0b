package io.hostsync.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 1: three containers that share {@code /dev/shm} ({@code deploy/compose.yaml}), each
 * JVM pid 1 of its own PID namespace, write and read one record under the region's default lock
 * at the same time, through {@code @WriteGuarded} and {@code @ReadGuarded}. The record is
 * rewritten word by word without atomics, so any overlap would tear it or lose an increment.
 */
class ExclusionAcrossContainersTest {

    private static final long WRITES_PER_CONTAINER = 1000;

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(3);

    @BeforeEach
    void requireDocker() {
        DockerEngine.require();
    }

    @Test
    void guardedWritesFromThreeContainersNeverOverlapAndNoIncrementIsLost() {
        try (Cluster cluster = Cluster.start(ComposeFile.of("compose.yaml"))) {
            List<DriverContainer> drivers = cluster.drivers();
            assertEveryJvmIsPidOneOfItsOwnNamespaceInOneRegion(drivers);

            for (DriverContainer driver : drivers) {
                driver.post("/driver/load?writes=" + WRITES_PER_CONTAINER + "&writerThreads=2&readerThreads=2&parties="
                        + drivers.size());
            }
            long reads = 0;
            for (DriverContainer driver : drivers) {
                JsonNode report = Poll.until("the load in " + driver, LOAD_TIMEOUT, () -> driver.get("/driver/load"),
                        (load) -> !load.get("state").asString().equals("running"));
                assertThat(report.get("state").asString()).as("%s: %s", driver, report).isEqualTo("done");
                assertThat(report.get("error").isNull()).as("%s: %s", driver, report).isTrue();
                assertThat(report.get("writes").asLong()).as("%s: %s", driver, report).isEqualTo(WRITES_PER_CONTAINER);
                assertThat(report.get("violations").asLong())
                        .as("%s: writes or reads that found the record torn or another writer inside", driver)
                        .isZero();
                reads += report.get("reads").asLong();
            }
            assertThat(reads).as("readers read while the writers wrote").isPositive();

            long total = WRITES_PER_CONTAINER * drivers.size();
            JsonNode record = drivers.get(0).get("/driver/record");
            assertThat(record.get("writes").asLong()).as("the write count, incremented without atomics")
                    .isEqualTo(total);
            for (JsonNode word : record.get("words")) {
                assertThat(word.asLong()).as("every word of the record: %s", record).isEqualTo(total);
            }
            JsonNode host = drivers.get(2).get("/actuator/hostsync").at("/regions/orders/locks/default/host");
            assertThat(host.get("writeAcquisitions").asLong()).as("host-wide statistics: %s", host)
                    .isGreaterThanOrEqualTo(total);
            assertThat(host.get("contendedAcquisitions").asLong()).as("the loads competed: %s", host).isPositive();
            assertThat(host.get("writerSlot").asInt()).isEqualTo(-1);
            assertThat(host.get("readHolds").asLong()).isZero();
        }
    }

    /**
     * The premise of the scenario: the containers are in one region, and every JVM sees itself
     * as pid 1, in PID namespaces of its own.
     */
    static void assertEveryJvmIsPidOneOfItsOwnNamespaceInOneRegion(List<DriverContainer> drivers) {
        Set<Long> namespaces = new HashSet<>();
        Set<Integer> slots = new HashSet<>();
        for (DriverContainer driver : drivers) {
            JsonNode self = driver.get("/driver/self");
            assertThat(self.get("pid").asLong()).as("%s: the JVM is the container's first process", driver)
                    .isEqualTo(1);
            assertThat(self.get("participants")).as("%s sees every container in the region: %s", driver, self)
                    .hasSize(drivers.size());
            slots.add(self.get("slot").asInt());
            for (JsonNode participant : self.get("participants")) {
                assertThat(participant.get("pid").asLong()).isEqualTo(1);
                namespaces.add(participant.get("pidNamespace").asLong());
            }
        }
        assertThat(slots).as("one process slot each").hasSize(drivers.size());
        assertThat(namespaces).as("one PID namespace each").hasSize(drivers.size());
    }
}

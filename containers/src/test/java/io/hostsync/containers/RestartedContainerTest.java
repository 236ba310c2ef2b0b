package io.hostsync.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 4, first half: {@code docker restart} of one container. Its new JVM joins the same
 * region as a new participant (a new slot, or the same slot with a new generation), finds the
 * state the others kept, and is excluded by the lock like any other. With an IPC namespace, a
 * container that joined another's is restarted (the owner's restart would give it a new
 * {@code /dev/shm}: docs/deployment.md); with a tmpfs volume, any one can be.
 */
class RestartedContainerTest {

    @BeforeEach
    void requireDocker() {
        DockerEngine.require();
    }

    @ParameterizedTest(name = "{1} of {0}")
    @CsvSource({ "compose.yaml, orders-3", "compose.shm-volume.yaml, orders-1" })
    void aRestartedContainerRejoinsTheRegionAsANewParticipantAndFindsItsState(String composeFile, String service) {
        try (Cluster cluster = Cluster.start(ComposeFile.of(composeFile))) {
            DriverContainer restarted = cluster.get(service);
            DriverContainer other = cluster.drivers().stream().filter((driver) -> driver != restarted).findFirst()
                    .orElseThrow();
            JsonNode before = restarted.get("/driver/self");
            restarted.post("/driver/counter?delta=5&times=1&threads=1");

            restarted.restart();

            JsonNode after = restarted.get("/driver/self");
            assertThat(after.get("pid").asLong()).as("a new JVM, pid 1 again").isEqualTo(1);
            assertThat(identity(after)).as("a new participant: %s, before: %s", after, before)
                    .isNotEqualTo(identity(before));
            if (after.get("slot").asInt() == before.get("slot").asInt()) {
                assertThat(after.get("generation").asLong()).isGreaterThan(before.get("generation").asLong());
            }
            assertThat(after.get("createdByThisProcess").asBoolean()).as("it joined the region, not a new one")
                    .isFalse();
            assertThat(after.get("created").asString()).isEqualTo(before.get("created").asString());
            assertThat(restarted.get("/driver/counter").get("value").asLong()).as("the state outlived its JVM")
                    .isEqualTo(5);

            JsonNode participants = other.get("/driver/self").get("participants");
            assertThat(participants).as("seen from %s: %s", other, participants).hasSize(cluster.drivers().size());
            assertThat(participants.valueStream().map(RestartedContainerTest::identity))
                    .contains(identity(after))
                    .doesNotContain(identity(before));

            assertThat(restarted.post("/driver/hold-write").get("held").asBoolean()).isTrue();
            other.post("/driver/await?mode=write&timeoutSeconds=1");
            JsonNode excluded = Poll.until(other + " trying the write lock", Duration.ofSeconds(30),
                    () -> other.get("/driver/await?mode=write"),
                    (await) -> !await.get("state").asString().equals("waiting"));
            assertThat(excluded.get("state").asString()).as("the lock excludes the rejoined container's writer")
                    .isEqualTo("timed-out");
            restarted.post("/driver/release-write");
        }
    }

    private static String identity(JsonNode participant) {
        return "slot " + participant.get("slot").asInt() + " generation " + participant.get("generation").asLong();
    }
}

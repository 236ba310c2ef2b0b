package io.hostsync.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ContainerLaunchException;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 6: the {@code posix} backend (a {@code pthread_rwlock} in the region) cannot work
 * across PID namespaces: thread ids collide there. A container that opens a posix-backend region
 * while a live participant is in another PID namespace must fail to start, soon and with a
 * message that names the cause and the fix, never hang; the container already in the region
 * must not notice.
 *
 * <p>The contract (core's {@code BackendRefusedException}): opening fails with a message that
 * contains "PID namespace" and says to use backend "robust".
 */
class PosixBackendAcrossContainersTest {

    private static final Map<String, String> POSIX = Map.of("HOSTSYNC_REGIONS_ORDERS_BACKEND", "posix");

    /** Startup to refusal: a JVM and a Spring context start, then the region is refused. */
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(120);

    @BeforeEach
    void requireDocker() {
        DockerEngine.require();
    }

    @Test
    void aSecondContainerOpeningAPosixRegionIsRefusedWithTheReasonAndTheFirstGoesOn() {
        ComposeFile file = ComposeFile.of("compose.yaml");
        try (Cluster cluster = Cluster.of(file)) {
            DriverContainer first = cluster.create(file.service("orders-1").withEnvironment(POSIX));
            try {
                first.start();
            } catch (ContainerLaunchException ex) {
                throw new AssertionError("A single container must start with backend posix: it is alone in its PID"
                        + " namespace. A hostsync without the posix backend refuses it as planned; this test passes"
                        + " once the posix backend is in.", ex);
            }
            JsonNode before = first.get("/driver/self");
            assertThat(before.get("participants")).hasSize(1);

            DriverContainer second = cluster.create(file.service("orders-2").withEnvironment(POSIX))
                    .expectingStartupFailure();
            second.start();
            long exitCode = second.awaitExit(REFUSED_WITHIN);
            String log = second.getLogs();
            assertThat(exitCode).as("the refused JVM exits with an error; its log:\n%s", DriverContainer.tail(log))
                    .isNotZero();
            assertThat(log).as("the refusal names the cause").contains("PID namespace");
            assertThat(log).as("the refusal names the fix").contains("robust");

            assertThat(first.isRunning()).isTrue();
            JsonNode after = first.get("/driver/self");
            assertThat(after.get("participants")).as("the first container is alone again: %s", after).hasSize(1);
            assertThat(after.get("slot").asInt()).isEqualTo(before.get("slot").asInt());
            assertThat(first.post("/driver/hold-write?timeoutSeconds=10").get("held").asBoolean())
                    .as("the first container still takes its lock").isTrue();
            first.post("/driver/release-write");
            assertThat(first.call("GET", "/actuator/health/hostsync", null).status()).isEqualTo(200);
        }
    }
}

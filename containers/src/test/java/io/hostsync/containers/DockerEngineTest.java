package io.hostsync.containers;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Without a Docker engine the container tests are skipped with a message on a developer's
 * machine, and fail in CI. (No engine can be taken away here, so the decision is tested alone.)
 */
class DockerEngineTest {

    @Test
    void withoutAnEngineATestIsSkippedWithAMessageThatSaysHowToGetOne() {
        assertThatThrownBy(() -> DockerEngine.require(false, null)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("No Docker engine answers")
                .hasMessageContaining("apt-get install docker.io");
    }

    @Test
    void withoutAnEngineInCiATestFails() {
        assertThatThrownBy(() -> DockerEngine.require(false, "true")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("CI (CI=true) must run them");
    }

    @Test
    void withAnEngineATestRuns() {
        assertThatCode(() -> DockerEngine.require(true, "true")).doesNotThrowAnyException();
        assertThatCode(() -> DockerEngine.require(true, null)).doesNotThrowAnyException();
    }
}

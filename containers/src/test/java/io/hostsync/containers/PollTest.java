package io.hostsync.containers;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Poll}, which needs no Docker engine: it returns the first value that satisfies
 * the condition, and fails with the last value seen when the time runs out.
 */
class PollTest {

    @Test
    void returnsTheFirstValueThatSatisfiesTheCondition() {
        AtomicInteger reads = new AtomicInteger();
        int value = Poll.until("the third read", Duration.ofSeconds(30), reads::incrementAndGet, (read) -> read >= 3);
        assertThat(value).isEqualTo(3);
        assertThat(reads).hasValue(3);
    }

    @Test
    void checksAtOnceWithoutWaitingAnInterval() {
        assertThat(Poll.until("a value", Duration.ofSeconds(30), () -> "ready", "ready"::equals)).isEqualTo("ready");
    }

    @Test
    void failsWithTheLastValueSeenWhenTheTimeRunsOut() {
        AtomicInteger reads = new AtomicInteger();
        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> Poll.until("a negative read", Duration.ofMillis(500), reads::incrementAndGet,
                        (read) -> read < 0))
                .withMessageStartingWith("a negative read did not happen within PT0.5S; last seen: ")
                .withMessageEndingWith(": " + reads.get());
    }
}

package io.hostsync.autoconfigure.guard;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how {@link GuardedMethodInterceptor} writes a timeout in its messages: as it would be
 * configured, in the largest unit that gives a whole number.
 */
class GuardedMethodInterceptorTests {

    @Test
    void timeoutsAreWrittenInTheLargestWholeUnit() {
        assertThat(GuardedMethodInterceptor.format(Duration.ofMillis(50))).isEqualTo("50ms");
        assertThat(GuardedMethodInterceptor.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(GuardedMethodInterceptor.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(GuardedMethodInterceptor.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(GuardedMethodInterceptor.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(GuardedMethodInterceptor.format(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(GuardedMethodInterceptor.format(Duration.ZERO)).isEqualTo("0ms");
        assertThat(GuardedMethodInterceptor.format(Duration.ofNanos(1500))).isEqualTo("1500ns");
    }

    @Test
    void aWrittenTimeoutReadsBackAsTheSameDuration() {
        for (Duration timeout : new Duration[] { Duration.ofMillis(50), Duration.ofSeconds(90), Duration.ofMinutes(2),
                Duration.ofNanos(1500), Duration.ZERO }) {
            assertThat(DurationStyle.detectAndParse(GuardedMethodInterceptor.format(timeout))).isEqualTo(timeout);
        }
    }
}

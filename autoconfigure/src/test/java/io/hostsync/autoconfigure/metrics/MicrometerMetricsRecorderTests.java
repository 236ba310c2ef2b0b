package io.hostsync.autoconfigure.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Mode;
import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Outcome;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MicrometerMetricsRecorder} and {@link HostsyncMetricsRecorder#none()}.
 */
class MicrometerMetricsRecorderTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final MicrometerMetricsRecorder recorder = new MicrometerMetricsRecorder(this.registry);

    @Test
    void aHoldIsRecordedInTheHoldTimerOfItsLockAndMode() {
        this.recorder.recordHold("orders", "cache", Mode.WRITE, Duration.ofMillis(30));
        Timer hold = this.registry.get("hostsync.lock.hold")
                .tags("region", "orders", "lock", "cache", "mode", "write")
                .timer();
        assertThat(hold.count()).isOne();
        assertThat(hold.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30);
        assertThat(this.registry.get("hostsync.lock.hold").tags("mode", "read").timer().count()).isZero();
    }

    @Test
    void anAcquisitionIsRecordedInTheWaitTimerOfItsModeAndOutcome() {
        this.recorder.recordAcquire("orders", "cache", Mode.READ, Outcome.TIMEOUT, Duration.ofMillis(5));
        this.recorder.recordAcquire("orders", "cache", Mode.READ, Outcome.TIMEOUT, Duration.ofMillis(7));
        Timer wait = this.registry.get("hostsync.lock.wait")
                .tags("region", "orders", "lock", "cache", "mode", "read", "outcome", "timeout")
                .timer();
        assertThat(wait.count()).isEqualTo(2);
        assertThat(wait.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12);
        assertThat(this.registry.get("hostsync.lock.wait").tags("mode", "read", "outcome", "acquired").timer().count())
                .isZero();
    }

    @Test
    void theFirstRecordingOfALockRegistersEveryTimerOfThatLock() {
        this.recorder.recordHold("orders", "cache", Mode.READ, Duration.ofMillis(1));
        assertThat(this.registry.find("hostsync.lock.hold").timers()).hasSize(2);
        assertThat(this.registry.find("hostsync.lock.wait").timers()).hasSize(6);
    }

    @Test
    void timersRegisteredUpFrontAreTheOnesRecordedInto() {
        Timer upFront = LockTimers.register(this.registry, "orders", "cache").hold(Mode.READ);
        this.recorder.recordHold("orders", "cache", Mode.READ, Duration.ofMillis(1));
        assertThat(upFront.count()).isOne();
    }

    @Test
    void closeRemovesTheTimersTheRecorderUsed() {
        this.recorder.recordHold("orders", "cache", Mode.READ, Duration.ofMillis(1));
        this.recorder.close();
        assertThat(this.registry.getMeters()).isEmpty();
    }

    @Test
    void theNoOpRecorderIsSharedAndRecordsNothing() {
        HostsyncMetricsRecorder none = HostsyncMetricsRecorder.none();
        none.recordHold("orders", "cache", Mode.WRITE, Duration.ofSeconds(1));
        none.recordAcquire("orders", "cache", Mode.WRITE, Outcome.ACQUIRED, Duration.ofSeconds(1));
        assertThat(HostsyncMetricsRecorder.none()).isSameAs(none);
        assertThat(none).hasToString("HostsyncMetricsRecorder.none()");
    }

    @Test
    void modesAndOutcomesHaveTheDocumentedTagValues() {
        assertThat(Mode.values()).extracting(Mode::tagValue).containsExactly("read", "write");
        assertThat(Outcome.values()).extracting(Outcome::tagValue).containsExactly("acquired", "timeout",
                "interrupted");
    }
}

package io.hostsync.autoconfigure.metrics;

import java.util.ArrayList;
import java.util.List;

import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Mode;
import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Outcome;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The timers of one lock that only the process taking it can record: {@value HostsyncMeterNames#LOCK_HOLD}
 * by mode and {@value HostsyncMeterNames#LOCK_WAIT} by mode and outcome. All are registered at once,
 * so a dashboard shows zeros before the first guarded call. Registering the same lock twice in one
 * registry returns the same timers, which is how {@link HostsyncMeterBinder} (up front) and
 * {@link MicrometerMetricsRecorder} (on first use) share them.
 */
final class LockTimers {

    private static final Mode[] MODES = Mode.values();

    private static final Outcome[] OUTCOMES = Outcome.values();

    private final Timer[] holds = new Timer[MODES.length];

    private final Timer[][] waits = new Timer[MODES.length][OUTCOMES.length];

    private LockTimers() {
    }

    /**
     * Registers, or finds, every timer of a lock.
     *
     * @param registry the registry
     * @param region the region name
     * @param lock the lock name
     * @return the lock's timers
     */
    static LockTimers register(MeterRegistry registry, String region, String lock) {
        LockTimers timers = new LockTimers();
        for (Mode mode : MODES) {
            timers.holds[mode.ordinal()] = Timer.builder(HostsyncMeterNames.LOCK_HOLD)
                    .description("Time a guarded call of this process held the lock, from acquisition to release")
                    .tag(HostsyncMeterNames.TAG_REGION, region)
                    .tag(HostsyncMeterNames.TAG_LOCK, lock)
                    .tag(HostsyncMeterNames.TAG_MODE, mode.tagValue())
                    .register(registry);
            for (Outcome outcome : OUTCOMES) {
                timers.waits[mode.ordinal()][outcome.ordinal()] = Timer.builder(HostsyncMeterNames.LOCK_WAIT)
                        .description(
                                "Time a guarded call of this process waited for the lock, by how the attempt ended")
                        .tag(HostsyncMeterNames.TAG_REGION, region)
                        .tag(HostsyncMeterNames.TAG_LOCK, lock)
                        .tag(HostsyncMeterNames.TAG_MODE, mode.tagValue())
                        .tag(HostsyncMeterNames.TAG_OUTCOME, outcome.tagValue())
                        .register(registry);
            }
        }
        return timers;
    }

    Timer hold(Mode mode) {
        return this.holds[mode.ordinal()];
    }

    Timer wait(Mode mode, Outcome outcome) {
        return this.waits[mode.ordinal()][outcome.ordinal()];
    }

    List<Meter> meters() {
        List<Meter> meters = new ArrayList<>(List.of(this.holds));
        for (Timer[] byOutcome : this.waits) {
            meters.addAll(List.of(byOutcome));
        }
        return meters;
    }
}

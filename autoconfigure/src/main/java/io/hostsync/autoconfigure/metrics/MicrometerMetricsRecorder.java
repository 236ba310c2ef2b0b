package io.hostsync.autoconfigure.metrics;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Records lock waits and holds into Micrometer timers: {@value HostsyncMeterNames#LOCK_WAIT}
 * (tags {@code region}, {@code lock}, {@code mode}, {@code outcome}) and
 * {@value HostsyncMeterNames#LOCK_HOLD} (tags {@code region}, {@code lock}, {@code mode}).
 *
 * <p>The timers of a lock are looked up once and kept, so a recording costs a map look-up and the
 * timer's own work. A lock first seen here (one created after startup) gets all its timers then.
 * {@link #close()} removes from the registry the timers this recorder used.
 */
public final class MicrometerMetricsRecorder implements HostsyncMetricsRecorder, AutoCloseable {

    private final MeterRegistry registry;

    /** By region name, then by lock name. */
    private final ConcurrentMap<String, ConcurrentMap<String, LockTimers>> timers = new ConcurrentHashMap<>();

    /**
     * Creates a recorder that records into a registry.
     *
     * @param registry the registry, usually the application's composite registry
     */
    public MicrometerMetricsRecorder(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void recordAcquire(String region, String lock, Mode mode, Outcome outcome, Duration waited) {
        timers(region, lock).wait(mode, outcome).record(waited);
    }

    @Override
    public void recordHold(String region, String lock, Mode mode, Duration held) {
        timers(region, lock).hold(mode).record(held);
    }

    private LockTimers timers(String region, String lock) {
        // get() first: computeIfAbsent may lock its bin even when the key is present.
        ConcurrentMap<String, LockTimers> locks = this.timers.get(region);
        if (locks == null) {
            locks = this.timers.computeIfAbsent(region, (name) -> new ConcurrentHashMap<>());
        }
        LockTimers lockTimers = locks.get(lock);
        if (lockTimers == null) {
            lockTimers = locks.computeIfAbsent(lock, (name) -> LockTimers.register(this.registry, region, lock));
        }
        return lockTimers;
    }

    /**
     * Removes the timers this recorder used from the registry.
     */
    @Override
    public void close() {
        this.timers.values()
                .forEach((locks) -> locks.values().forEach((lock) -> lock.meters().forEach(this.registry::remove)));
        this.timers.clear();
    }

    @Override
    public String toString() {
        return "MicrometerMetricsRecorder[" + this.registry.getClass().getSimpleName() + "]";
    }
}

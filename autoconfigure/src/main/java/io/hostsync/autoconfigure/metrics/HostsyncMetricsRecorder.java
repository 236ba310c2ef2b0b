package io.hostsync.autoconfigure.metrics;

import java.time.Duration;

/**
 * Records what only the process that takes a lock can time: how long a guarded call waited for a
 * lock and how long it held it. The figures that every process shares (acquisitions, waiters,
 * holders, timeouts, recoveries) are read from the region instead, by {@link HostsyncMeterBinder}.
 *
 * <p>Every method does nothing by default, and {@link #none()} is the recorder to use when
 * metrics are off, so that callers never check for {@code null} on their hot path. With
 * Micrometer, {@link MicrometerMetricsRecorder} records into {@value HostsyncMeterNames#LOCK_WAIT}
 * and {@value HostsyncMeterNames#LOCK_HOLD}.
 *
 * <p>This interface depends on nothing but the JDK, so it can be injected whether Micrometer is
 * present or not: {@code recorders.getIfAvailable(HostsyncMetricsRecorder::none)}.
 */
public interface HostsyncMetricsRecorder {

    /**
     * Returns the recorder that records nothing.
     *
     * @return the shared no-op recorder
     */
    static HostsyncMetricsRecorder none() {
        return NoOpMetricsRecorder.INSTANCE;
    }

    /**
     * Records one attempt to take a lock.
     *
     * @param region the region name
     * @param lock the lock name
     * @param mode the half of the lock asked for
     * @param outcome how the attempt ended
     * @param waited how long the attempt waited
     */
    default void recordAcquire(String region, String lock, Mode mode, Outcome outcome, Duration waited) {
    }

    /**
     * Records one hold of a lock, from acquisition to release.
     *
     * @param region the region name
     * @param lock the lock name
     * @param mode the half of the lock held
     * @param held how long it was held
     */
    default void recordHold(String region, String lock, Mode mode, Duration held) {
    }

    /**
     * The half of a read-write lock.
     */
    enum Mode {

        /** The shared read lock. */
        READ(HostsyncMeterNames.MODE_READ),

        /** The exclusive write lock. */
        WRITE(HostsyncMeterNames.MODE_WRITE);

        private final String tagValue;

        Mode(String tagValue) {
            this.tagValue = tagValue;
        }

        /**
         * Returns the value of the {@value HostsyncMeterNames#TAG_MODE} tag.
         *
         * @return {@code read} or {@code write}
         */
        public String tagValue() {
            return this.tagValue;
        }
    }

    /**
     * How an attempt to take a lock ended.
     */
    enum Outcome {

        /** The lock was taken. */
        ACQUIRED("acquired"),

        /** The attempt gave up when its timeout elapsed. */
        TIMEOUT("timeout"),

        /** The waiting thread was interrupted. */
        INTERRUPTED("interrupted");

        private final String tagValue;

        Outcome(String tagValue) {
            this.tagValue = tagValue;
        }

        /**
         * Returns the value of the {@value HostsyncMeterNames#TAG_OUTCOME} tag.
         *
         * @return {@code acquired}, {@code timeout} or {@code interrupted}
         */
        public String tagValue() {
            return this.tagValue;
        }
    }
}

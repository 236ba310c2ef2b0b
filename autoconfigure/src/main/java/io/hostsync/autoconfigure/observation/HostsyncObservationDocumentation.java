package io.hostsync.autoconfigure.observation;

import io.hostsync.autoconfigure.metrics.HostsyncMeterNames;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations hostsync makes of guarded calls: their names, conventions and keys.
 *
 * <p>A guarded call is one observation, {@link #GUARDED_CALL}, from before its lock is asked for
 * until the lock is released; it is the current observation while the method runs, so what the
 * method observes (a query, an HTTP call) nests under it. The wait for the lock is a second
 * observation, {@link #LOCK_WAIT}, a child of the first, rather than an event on it: a tracing
 * bridge turns an observation into a span, which shows in the trace with its duration, where an
 * event would be a timestamped annotation whose length a reader has to work out. Every call has
 * its wait span, a few microseconds long when the lock was free, so that a slow call shows at a
 * glance whether it waited for the lock or worked while holding it.
 *
 * <p>With Spring Boot's metrics, each observation is also a timer of the same name with its
 * low-cardinality keys as tags. The names differ from hostsync's own meters
 * ({@value HostsyncMeterNames#LOCK_WAIT}, {@value HostsyncMeterNames#LOCK_HOLD}), which record
 * the same waits and holds by other tags, so that the two never clash in one registry.
 */
public enum HostsyncObservationDocumentation implements ObservationDocumentation {

    /**
     * A call of a method annotated with {@code @ReadGuarded} or {@code @WriteGuarded}, from
     * before its lock is asked for until the lock is released (or the call gives up).
     */
    GUARDED_CALL {

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultGuardedCallObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeyNames.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeyNames.values();
        }
    },

    /**
     * The wait of a guarded call for its lock, a child of {@link #GUARDED_CALL}: from asking for
     * the lock until it is taken, the timeout elapses or the thread is interrupted.
     */
    LOCK_WAIT {

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultLockWaitObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeyNames.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeyNames.values();
        }
    };

    /**
     * Keys with few values, which become tags of the timers and of the spans.
     */
    public enum LowCardinalityKeyNames implements KeyName {

        /** The region name. */
        REGION(HostsyncMeterNames.TAG_REGION),

        /** The lock name within its region. */
        LOCK(HostsyncMeterNames.TAG_LOCK),

        /** {@code read} or {@code write}. */
        MODE(HostsyncMeterNames.TAG_MODE),

        /**
         * How the wait ended: {@code acquired}, {@code timeout} or {@code interrupted}; {@code none}
         * if the lock could not be asked for at all.
         */
        OUTCOME(HostsyncMeterNames.TAG_OUTCOME);

        private final String key;

        LowCardinalityKeyNames(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return this.key;
        }
    }

    /**
     * Keys with many values, which go on spans only.
     */
    public enum HighCardinalityKeyNames implements KeyName {

        /** The guarded method, as its class's simple name and the method name: {@code Prices.rebuild}. */
        METHOD("method");

        private final String key;

        HighCardinalityKeyNames(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return this.key;
        }
    }
}

package io.hostsync.autoconfigure.observation;

import java.lang.reflect.Method;

import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Mode;
import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Outcome;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an observation of a guarded call or of its lock wait knows: the lock, the half of it
 * asked for, the guarded method, and, once the wait has ended, how it ended. Conventions read
 * their key values from here.
 */
public abstract sealed class GuardObservationContext extends Observation.Context
        permits GuardedCallContext, LockWaitContext {

    private final String region;

    private final String lock;

    private final Mode mode;

    private final Method method;

    /** Written and read on the thread of the guarded call. */
    private @Nullable Outcome outcome;

    GuardObservationContext(String region, String lock, Mode mode, Method method) {
        this.region = region;
        this.lock = lock;
        this.mode = mode;
        this.method = method;
    }

    /**
     * Returns the region name.
     *
     * @return the region name
     */
    public String getRegion() {
        return this.region;
    }

    /**
     * Returns the lock name within the region.
     *
     * @return the lock name
     */
    public String getLock() {
        return this.lock;
    }

    /**
     * Returns the half of the lock the guarded call takes.
     *
     * @return read for {@code @ReadGuarded}, write for {@code @WriteGuarded}
     */
    public Mode getMode() {
        return this.mode;
    }

    /**
     * Returns the guarded method, as annotated.
     *
     * @return the method
     */
    public Method getMethod() {
        return this.method;
    }

    /**
     * Returns how the wait for the lock ended.
     *
     * @return the outcome, or {@code null} while waiting, or if the lock could not be asked for
     */
    public @Nullable Outcome getOutcome() {
        return this.outcome;
    }

    void setOutcome(Outcome outcome) {
        this.outcome = outcome;
    }
}

package io.hostsync.autoconfigure.observation;

import java.lang.reflect.Method;

import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Mode;
import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Outcome;

/**
 * Observes guarded calls for tracing: the call from before its lock is asked for until the lock
 * is released, and within it the wait for the lock. {@link MicrometerGuardedCallObserver} makes
 * Micrometer {@code Observation}s of them; {@link #none()} observes nothing.
 *
 * <p>This interface depends on nothing but the JDK, so that the interceptor of guarded methods
 * can look it up whether Micrometer Observation is on the class path or not:
 * {@code observers.getIfAvailable(GuardedCallObserver::none)}.
 */
public interface GuardedCallObserver {

    /**
     * Returns the observer that observes nothing, and whose calls are itself: it costs no
     * allocation per guarded call.
     *
     * @return the shared no-op observer
     */
    static GuardedCallObserver none() {
        return NoOpGuardedCallObserver.INSTANCE;
    }

    /**
     * Starts observing a guarded call, before its lock is asked for, and makes it the current
     * observation of this thread until {@link GuardedCall#end()}.
     *
     * @param region the region name
     * @param lock the lock name
     * @param mode the half of the lock the call takes
     * @param method the guarded method
     * @return the call, to be told about its wait and ended on the same thread
     */
    GuardedCall start(String region, String lock, Mode mode, Method method);

    /**
     * One guarded call being observed. Its methods are called on the thread that started it, in
     * this order: {@link #waiting()}, {@link #waited(Outcome)}, then {@link #error(Throwable)} if
     * the call failed, and always {@link #end()}.
     */
    interface GuardedCall {

        /**
         * The call begins to wait for its lock.
         */
        void waiting();

        /**
         * The wait for the lock has ended.
         *
         * @param outcome whether the lock was taken, the wait timed out or was interrupted
         */
        void waited(Outcome outcome);

        /**
         * The call failed: the method threw, the wait timed out with
         * {@code onTimeout = THROW}, or the lock could not be asked for.
         *
         * @param error what was thrown
         */
        void error(Throwable error);

        /**
         * The call has ended and its lock, if taken, is released. Ends the wait too if it was
         * never told {@link #waited(Outcome)}.
         */
        void end();
    }
}

package io.hostsync.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a guarded call's wait for its lock. Define a bean of this
 * type to replace {@link DefaultLockWaitObservationConvention}, usually by extending it.
 */
public interface LockWaitObservationConvention extends ObservationConvention<LockWaitContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof LockWaitContext;
    }
}

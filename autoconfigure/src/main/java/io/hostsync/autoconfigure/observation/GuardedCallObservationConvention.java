package io.hostsync.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a guarded call. Define a bean of this type to replace
 * {@link DefaultGuardedCallObservationConvention}, usually by extending it.
 */
public interface GuardedCallObservationConvention extends ObservationConvention<GuardedCallContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof GuardedCallContext;
    }
}

package io.hostsync.autoconfigure.observation;

import io.micrometer.common.KeyValues;

/**
 * Names the observation of a guarded call's wait for its lock {@value #NAME}, with the contextual
 * name (the span name) {@code wait for <mode> lock <region>/<lock>}, and the keys of
 * {@link DefaultGuardedCallObservationConvention}.
 */
public class DefaultLockWaitObservationConvention implements LockWaitObservationConvention {

    /** The name of the observation, and of the timer Spring Boot's metrics make of it. */
    public static final String NAME = "hostsync.guarded.wait";

    /** The shared instance, used when no convention bean is defined. */
    public static final DefaultLockWaitObservationConvention INSTANCE = new DefaultLockWaitObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(LockWaitContext context) {
        return "wait for " + context.getMode().tagValue() + " lock " + context.getRegion() + "/" + context.getLock();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(LockWaitContext context) {
        return GuardKeyValues.lowCardinality(context);
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(LockWaitContext context) {
        return GuardKeyValues.highCardinality(context);
    }
}

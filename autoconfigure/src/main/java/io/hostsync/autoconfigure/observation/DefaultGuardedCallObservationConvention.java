package io.hostsync.autoconfigure.observation;

import io.micrometer.common.KeyValues;

/**
 * Names the observation of a guarded call {@value #NAME}, with the contextual name (the span
 * name) {@code guarded <Class>.<method>}, the low-cardinality keys {@code region}, {@code lock},
 * {@code mode}, {@code outcome} and the high-cardinality key {@code method}.
 */
public class DefaultGuardedCallObservationConvention implements GuardedCallObservationConvention {

    /** The name of the observation, and of the timer Spring Boot's metrics make of it. */
    public static final String NAME = "hostsync.guarded.call";

    /** The shared instance, used when no convention bean is defined. */
    public static final DefaultGuardedCallObservationConvention INSTANCE = new DefaultGuardedCallObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(GuardedCallContext context) {
        return "guarded " + GuardKeyValues.method(context);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(GuardedCallContext context) {
        return GuardKeyValues.lowCardinality(context);
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(GuardedCallContext context) {
        return GuardKeyValues.highCardinality(context);
    }
}

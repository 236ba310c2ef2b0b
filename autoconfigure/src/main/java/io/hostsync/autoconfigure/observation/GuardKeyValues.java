package io.hostsync.autoconfigure.observation;

import io.hostsync.autoconfigure.metrics.HostsyncMetricsRecorder.Outcome;
import io.hostsync.autoconfigure.observation.HostsyncObservationDocumentation.HighCardinalityKeyNames;
import io.hostsync.autoconfigure.observation.HostsyncObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The key values both default conventions give, in one place.
 */
final class GuardKeyValues {

    private GuardKeyValues() {
    }

    static KeyValues lowCardinality(GuardObservationContext context) {
        Outcome current = context.getOutcome();
        String outcome = (current != null) ? current.tagValue() : KeyValue.NONE_VALUE;
        return KeyValues.of(LowCardinalityKeyNames.REGION.withValue(context.getRegion()),
                LowCardinalityKeyNames.LOCK.withValue(context.getLock()),
                LowCardinalityKeyNames.MODE.withValue(context.getMode().tagValue()),
                LowCardinalityKeyNames.OUTCOME.withValue(outcome));
    }

    static KeyValues highCardinality(GuardObservationContext context) {
        return KeyValues.of(HighCardinalityKeyNames.METHOD.withValue(method(context)));
    }

    /** The method as {@code Prices.rebuild}: short enough for a span name. */
    static String method(GuardObservationContext context) {
        return context.getMethod().getDeclaringClass().getSimpleName() + "." + context.getMethod().getName();
    }
}

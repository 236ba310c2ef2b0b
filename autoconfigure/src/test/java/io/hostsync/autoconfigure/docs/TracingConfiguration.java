package io.hostsync.autoconfigure.docs;

import io.hostsync.autoconfigure.observation.DefaultGuardedCallObservationConvention;
import io.hostsync.autoconfigure.observation.GuardedCallContext;
import io.hostsync.autoconfigure.observation.GuardedCallObservationConvention;
import io.micrometer.common.KeyValues;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The convention of the "Tracing" section of docs/operations.md: spans of guarded calls named by
 * their lock, with one more tag. Tested by {@link TracingExamplesTests}.
 */
// tag::convention[]
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

    @Bean // replaces DefaultGuardedCallObservationConvention
    GuardedCallObservationConvention guardedCallConvention() {
        return new DefaultGuardedCallObservationConvention() {

            @Override
            public String getContextualName(GuardedCallContext context) { // the span name
                return context.getMode().tagValue() + "-guarded " + context.getRegion() + "/" + context.getLock();
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(GuardedCallContext context) {
                return super.getLowCardinalityKeyValues(context).and("team", "warehouse");
            }
        };
    }
}
// end::convention[]

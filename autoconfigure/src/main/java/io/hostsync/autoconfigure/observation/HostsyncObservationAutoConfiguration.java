package io.hostsync.autoconfigure.observation;

import io.hostsync.SharedRegion;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the observations of guarded calls: a {@link GuardedCallObserver} that
 * records into the application's {@link ObservationRegistry}, so that a trace shows each guarded
 * call and its wait for the lock. Applies when Micrometer Observation is on the class path and
 * {@code hostsync.observations.enabled} is not {@code false}. Without an
 * {@code ObservationRegistry} bean (or with one that has no handler), the observer is
 * {@link GuardedCallObserver#none()}, and guarded calls cost what they cost without it. The
 * observer is looked up by the {@code @ReadGuarded}/{@code @WriteGuarded} interceptor at the
 * first guarded call, so this class need not run before {@code HostsyncGuardAutoConfiguration}.
 *
 * <p>A {@link GuardedCallObservationConvention} or {@link LockWaitObservationConvention} bean
 * replaces the default convention.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ ObservationRegistry.class, SharedRegion.class })
@ConditionalOnBooleanProperty(name = "hostsync.observations.enabled", matchIfMissing = true)
public final class HostsyncObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GuardedCallObserver hostsyncGuardedCallObserver(ObjectProvider<ObservationRegistry> registry,
            ObjectProvider<GuardedCallObservationConvention> callConvention,
            ObjectProvider<LockWaitObservationConvention> waitConvention) {
        return MicrometerGuardedCallObserver.of(registry.getIfAvailable(() -> ObservationRegistry.NOOP),
                callConvention.getIfAvailable(), waitConvention.getIfAvailable());
    }
}

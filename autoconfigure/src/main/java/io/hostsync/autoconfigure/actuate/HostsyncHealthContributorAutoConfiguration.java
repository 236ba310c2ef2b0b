package io.hostsync.autoconfigure.actuate;

import java.util.List;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.HostsyncProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code hostsync} health contributor, {@link HostsyncHealthIndicator}.
 * Applies when Spring Boot's health support is on the class path, unless
 * {@code management.health.hostsync.enabled} is {@code false}. The longest healthy write hold is
 * {@code hostsync.health.max-hold}, and {@code hostsync.health.scope} says which problems make it
 * DOWN. Its background sampler starts and stops with the application context.
 */
@AutoConfiguration(after = HostsyncAutoConfiguration.class, before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass({ Health.class, SharedRegion.class })
@ConditionalOnBean({ SharedRegion.class, HostsyncProperties.class })
public final class HostsyncHealthContributorAutoConfiguration {

    // On the method: its condition class is loaded only once the class conditions above have passed.
    @Bean
    @ConditionalOnEnabledHealthIndicator("hostsync")
    @ConditionalOnMissingBean(name = "hostsyncHealthIndicator")
    HostsyncHealthIndicator hostsyncHealthIndicator(List<SharedRegion> regions, HostsyncProperties properties) {
        return new HostsyncHealthIndicator(regions, properties.getHealth().getMaxHold(),
                properties.getHealth().getScope());
    }
}

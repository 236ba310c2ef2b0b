package io.hostsync.autoconfigure.actuate;

import java.util.List;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code hostsync} actuator endpoint, {@link HostsyncEndpoint}. Applies
 * when Spring Boot's actuator is on the class path and the endpoint is available (enabled and
 * exposed, as {@code management.endpoints.web.exposure.include} says).
 */
@AutoConfiguration(after = HostsyncAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class, SharedRegion.class })
@ConditionalOnBean(SharedRegion.class)
public final class HostsyncEndpointAutoConfiguration {

    // On the method: its condition class is loaded only once the class conditions above have passed.
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(HostsyncEndpoint.class)
    HostsyncEndpoint hostsyncEndpoint(List<SharedRegion> regions) {
        return new HostsyncEndpoint(regions);
    }
}

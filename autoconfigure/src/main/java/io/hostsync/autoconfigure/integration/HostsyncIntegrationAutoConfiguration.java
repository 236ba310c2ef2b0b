package io.hostsync.autoconfigure.integration;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Auto-configuration of a Spring Integration {@link LockRegistry} backed by hostsync locks,
 * when Spring Integration is on the class path: a {@link HostsyncLockRegistry} named
 * {@code hostsyncLockRegistry}, over the default region. It backs off when the application
 * defines a {@code LockRegistry} of its own, or has several regions and none is the default.
 */
@AutoConfiguration(after = HostsyncAutoConfiguration.class)
@ConditionalOnClass({ LockRegistry.class, SharedRegion.class })
public final class HostsyncIntegrationAutoConfiguration {

    /**
     * The lock registry over the keyed locks (family {@code lock-registry}) of the default region.
     *
     * @param region the default region
     * @return the registry
     */
    @Bean
    @ConditionalOnMissingBean(LockRegistry.class)
    @ConditionalOnSingleCandidate(SharedRegion.class)
    HostsyncLockRegistry hostsyncLockRegistry(SharedRegion region) {
        return new HostsyncLockRegistry(region);
    }
}

package io.hostsync.autoconfigure;

import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedState;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The configurations that {@link HostsyncAutoConfiguration} imports, in this order: the region
 * beans first, so that the state and lock beans are made from the regions that were registered.
 */
final class RegionConfigurations {

    private RegionConfigurations() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(SharedRegion.class)
    @Import(RegionBeanRegistrar.Regions.class)
    static class SharedRegionConfiguration {

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(SharedState.class)
    @Import(RegionBeanRegistrar.States.class)
    static class SharedStateConfiguration {

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(RWLock.class)
    @Import(RegionBeanRegistrar.Locks.class)
    static class RWLockConfiguration {

    }
}

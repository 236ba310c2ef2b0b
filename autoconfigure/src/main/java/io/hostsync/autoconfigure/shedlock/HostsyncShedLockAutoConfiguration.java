package io.hostsync.autoconfigure.shedlock;

import java.util.Map;
import java.util.TreeSet;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.HostsyncProperties;
import io.hostsync.autoconfigure.metrics.HostsyncMeterNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import net.javacrumbs.shedlock.core.LockProvider;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of a ShedLock {@link LockProvider} backed by hostsync, when ShedLock is on
 * the class path: a {@link HostsyncLockProvider} named {@code hostsyncLockProvider}, over the map
 * {@code hostsync.shedlock.map} of the region {@code hostsync.shedlock.region} (the default region
 * unless set). It backs off when the application defines a {@code LockProvider} of its own.
 * ShedLock's {@code @EnableSchedulerLock} is still the application's to add, as with any provider.
 */
@AutoConfiguration(after = HostsyncAutoConfiguration.class)
@ConditionalOnClass({ LockProvider.class, SharedRegion.class })
public final class HostsyncShedLockAutoConfiguration {

    /**
     * The lock provider over the configured region's ShedLock map.
     *
     * @param beanFactory where the region beans are
     * @param properties the bound properties
     * @return the provider
     * @throws IllegalStateException if the configured region does not exist, or no region is the default
     */
    @Bean
    @ConditionalOnMissingBean(LockProvider.class)
    @ConditionalOnBean(SharedRegion.class)
    HostsyncLockProvider hostsyncLockProvider(ListableBeanFactory beanFactory, HostsyncProperties properties) {
        HostsyncProperties.ShedLock settings = properties.getShedlock();
        return new HostsyncLockProvider(region(beanFactory, settings.getRegion()), settings.getMap(),
                settings.getMaxJobs());
    }

    /**
     * The provider's meter, {@value HostsyncMeterNames#SHEDLOCK_RECOVERIES}, when Micrometer is
     * on the class path and hostsync's metrics are on.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    @ConditionalOnBooleanProperty(name = "hostsync.metrics.enabled", matchIfMissing = true)
    static class ShedLockMetricsConfiguration {

        /** Registers the meter if the provider is hostsync's (not when the application defines its own). */
        @Bean
        MeterBinder hostsyncLockProviderMeters(ObjectProvider<HostsyncLockProvider> providers) {
            return (registry) -> providers.ifAvailable((provider) -> FunctionCounter
                    .builder(HostsyncMeterNames.SHEDLOCK_RECOVERIES, provider, HostsyncLockProvider::recoveries)
                    .description("ShedLock jobs this process took over from a holder that died running them")
                    .tag(HostsyncMeterNames.TAG_REGION, provider.getRegion().name())
                    .tag(HostsyncMeterNames.TAG_SCOPE, HostsyncMeterNames.SCOPE_PROCESS)
                    .register(registry));
        }
    }

    private static SharedRegion region(ListableBeanFactory beanFactory, @Nullable String name) {
        Map<String, SharedRegion> regions = beanFactory.getBeansOfType(SharedRegion.class);
        TreeSet<String> names = new TreeSet<>();
        regions.values().forEach((region) -> names.add(region.name()));
        if (StringUtils.hasText(name)) {
            return regions.values()
                    .stream()
                    .filter((region) -> region.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("hostsync.shedlock.region names region '" + name
                            + "', which is not configured; the configured regions are " + names + ". Name one of them,"
                            + " or configure hostsync.regions." + name + "."));
        }
        SharedRegion unique = beanFactory.getBeanProvider(SharedRegion.class).getIfUnique();
        if (unique == null) {
            throw new IllegalStateException("The ShedLock lock provider has no region: there is no default region"
                    + " among " + names + ". Set hostsync.shedlock.region to one of them, or mark one as the default"
                    + " with hostsync.regions.<name>.default=true.");
        }
        return unique;
    }
}

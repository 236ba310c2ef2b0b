package io.hostsync.autoconfigure.cache;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;

/**
 * Gives Spring Boot's cache metrics ({@code CacheMetricsRegistrar}) the meters of
 * {@link HostsyncCache}s, under Micrometer's standard cache meter names.
 */
public final class HostsyncCacheMeterBinderProvider implements CacheMeterBinderProvider<HostsyncCache> {

    @Override
    public MeterBinder getMeterBinder(HostsyncCache cache, Iterable<Tag> tags) {
        return new HostsyncCacheMeterBinder(cache, tags);
    }
}

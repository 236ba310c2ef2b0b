package io.hostsync.autoconfigure.cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer's cache meters for a {@link HostsyncCache}: {@code cache.gets} (result hit or miss),
 * {@code cache.puts} and {@code cache.evictions} count this process's operations, so that the
 * usual cache dashboards sum the instances; {@code cache.size} is the entries of the shared cache,
 * the same for every process.
 */
final class HostsyncCacheMeterBinder extends CacheMeterBinder<HostsyncCache> {

    HostsyncCacheMeterBinder(HostsyncCache cache, Iterable<Tag> tags) {
        super(cache, cache.getName(), tags);
    }

    @Override
    protected @Nullable Long size() {
        HostsyncCache cache = getCache();
        return (cache != null) ? cache.getNativeCache().size() : null;
    }

    @Override
    protected long hitCount() {
        HostsyncCache cache = getCache();
        return (cache != null) ? cache.getNativeCache().hits() : 0;
    }

    @Override
    protected @Nullable Long missCount() {
        HostsyncCache cache = getCache();
        return (cache != null) ? cache.getNativeCache().misses() : null;
    }

    @Override
    protected @Nullable Long evictionCount() {
        HostsyncCache cache = getCache();
        return (cache != null) ? cache.getNativeCache().evictions() : null;
    }

    @Override
    protected long putCount() {
        HostsyncCache cache = getCache();
        return (cache != null) ? cache.getNativeCache().puts() : 0;
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        // the standard names only
    }
}

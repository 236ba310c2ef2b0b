package io.hostsync.autoconfigure.cache;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A {@link CacheManager} of the caches declared under {@code hostsync.cache.caches}, each a
 * {@link HostsyncCache} shared by every JVM on the host. The caches are created (or joined) when
 * the manager is; a cache that is not declared is not found, as with Spring's fixed cache managers.
 */
public final class HostsyncCacheManager implements CacheManager {

    private final Map<String, HostsyncCache> caches;

    /**
     * Creates a manager of the given caches.
     *
     * @param caches the caches, in the order of their names
     */
    public HostsyncCacheManager(Collection<HostsyncCache> caches) {
        Map<String, HostsyncCache> byName = new LinkedHashMap<>();
        caches.forEach((cache) -> byName.put(cache.getName(), cache));
        this.caches = Collections.unmodifiableMap(byName);
    }

    @Override
    public @Nullable Cache getCache(String name) {
        return this.caches.get(name);
    }

    @Override
    public Collection<String> getCacheNames() {
        return this.caches.keySet();
    }

    @Override
    public void resetCaches() {
        this.caches.values().forEach(HostsyncCache::clear);
    }
}

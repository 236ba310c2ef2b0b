package io.hostsync.autoconfigure.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Lock;

import io.hostsync.SharedRegion;
import io.hostsync.internal.table.TableLayout;
import io.hostsync.state.SharedCache;

import org.jspecify.annotations.Nullable;
import org.springframework.cache.support.AbstractValueAdaptingCache;

/**
 * A Spring {@link org.springframework.cache.Cache} over a {@link SharedCache}: every JVM on the
 * host that declares the cache with the same region sees the same entries. Hits take no lock.
 * {@link #get(Object, Callable)} ({@code @Cacheable(sync = true)}) loads a missing value once for
 * the host: the loader runs holding the key's keyed lock of the region (family
 * {@value #LOCK_FAMILY}), so the other processes that miss the same key wait for it and then hit;
 * a loader killed mid-load releases the key, as every robust lock does, and the next waiter loads.
 *
 * <p>Keys become strings: a {@link String} as it is, any other key as its class name, a colon and
 * its {@code toString()}, which must therefore identify it (records, numbers,
 * {@link org.springframework.cache.interceptor.SimpleKey} do).
 */
public final class HostsyncCache extends AbstractValueAdaptingCache {

    /** The family of the keyed locks under which {@link #get(Object, Callable)} loads a value. */
    public static final String LOCK_FAMILY = "hostsync-cache";

    private static final ClassValue<Boolean> IDENTIFIED_BY_TO_STRING = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("toString").getDeclaringClass() != Object.class;
            } catch (NoSuchMethodException ex) {
                return false;
            }
        }
    };

    private final String name;

    private final SharedCache<String, Object> shared;

    private final SharedRegion region;

    private final @Nullable Duration timeToLive;

    /**
     * Creates a cache.
     *
     * @param name the cache's name, as in {@code @Cacheable}
     * @param shared the shared cache that holds its entries
     * @param region the region of the shared cache, for its keyed locks
     * @param timeToLive how long an entry this process writes stays, or {@code null}
     * @param allowNullValues whether null values are cached
     */
    public HostsyncCache(String name, SharedCache<String, Object> shared, SharedRegion region,
            @Nullable Duration timeToLive,
            boolean allowNullValues) {
        super(allowNullValues);
        this.name = name;
        this.shared = shared;
        this.region = region;
        this.timeToLive = timeToLive;
    }

    @Override
    public String getName() {
        return this.name;
    }

    /** @return the {@link SharedCache} */
    @Override
    public SharedCache<String, Object> getNativeCache() {
        return this.shared;
    }

    /** @return how long entries written by this process stay, or {@code null} for no limit */
    public @Nullable Duration getTimeToLive() {
        return this.timeToLive;
    }

    @Override
    protected @Nullable Object lookup(Object key) {
        return this.shared.get(keyString(key));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
        String keyString = keyString(key);
        Object stored = this.shared.get(keyString);
        if (stored != null) {
            return (T) fromStoreValue(stored);
        }
        Lock lock = this.region.lock(LOCK_FAMILY, lockKey(keyString)).writeLock();
        lock.lock();
        try {
            stored = this.shared.get(keyString);
            if (stored != null) {
                return (T) fromStoreValue(stored);
            }
            T value;
            try {
                value = valueLoader.call();
            } catch (Exception ex) {
                throw new ValueRetrievalException(key, valueLoader, ex);
            }
            this.shared.put(keyString, toStoreValue(value), this.timeToLive);
            return value;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(Object key, @Nullable Object value) {
        this.shared.put(keyString(key), toStoreValue(value), this.timeToLive);
    }

    @Override
    public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
        Object before = this.shared.putIfAbsent(keyString(key), toStoreValue(value), this.timeToLive);
        return toValueWrapper(before);
    }

    @Override
    public void evict(Object key) {
        this.shared.remove(keyString(key));
    }

    @Override
    public boolean evictIfPresent(Object key) {
        return this.shared.remove(keyString(key));
    }

    @Override
    public void clear() {
        this.shared.clear();
    }

    @Override
    public boolean invalidate() {
        boolean notEmpty = this.shared.size() > 0;
        this.shared.clear();
        return notEmpty;
    }

    /** The keyed lock's key: 8 bytes of hash of the cache and key, so that any key fits a lock record. */
    private byte[] lockKey(String keyString) {
        byte[] bytes = (this.name + '\u0000' + keyString).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES).putLong(TableLayout.hash(bytes)).array();
    }

    private String keyString(Object key) {
        if (key instanceof String string) {
            return string;
        }
        if (!IDENTIFIED_BY_TO_STRING.get(key.getClass())) {
            throw new IllegalArgumentException("Cache '" + this.name + "' was given a key of "
                    + key.getClass().getName()
                    + ", whose toString() is Object's, so it cannot be shared with other processes. Give the key type a"
                    + " toString() that identifies it (a record has one), or use a key expression such as"
                    + " @Cacheable(key = \"#id\").");
        }
        return key.getClass().getName() + ':' + key;
    }
}

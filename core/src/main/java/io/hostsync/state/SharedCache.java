package io.hostsync.state;

import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.HostsyncException;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.region.RegionLayout;
import io.hostsync.internal.table.HashTable;
import io.hostsync.internal.table.TableLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A cache shared by every process that opens the region: the crash-safe hash table of a
 * {@link SharedMap}, with a time to live per entry and eviction when full, both host-wide (see
 * {@code docs/caching.md}).
 *
 * <ul>
 *   <li><b>Expiry</b>: each entry stores the wall-clock time (epoch milliseconds,
 *       {@link System#currentTimeMillis()}) after which it is gone for every process, set by the
 *       process that wrote it. Every process of a host reads the same clock; a step of the clock
 *       moves every expiry with it. An expired entry is a miss, removed by the reader that finds it
 *       or evicted first when its segment needs room.</li>
 *   <li><b>Eviction</b>: sampled LFU with aging, as Redis's {@code allkeys-lfu}. Each entry has a
 *       stamp in its bucket: a logarithmic use counter (a new entry starts at
 *       5; a hit adds one with a probability that falls as the counter
 *       grows; it loses one for every minute without use) and the time of its
 *       last use, in milliseconds of the host's monotonic clock ({@link System#nanoTime()},
 *       CLOCK_MONOTONIC on Linux, shared by the processes of a host). A hit updates it with a plain
 *       store and no lock. A put into a segment that holds its share of the capacity's entries, or
 *       has no room for the bytes, evicts first the entry of that segment with the lowest counter
 *       (the least recently used among equals) of 8 sampled, an
 *       expired one before any other. A stamp moves with its entry when a removal shifts entries
 *       back; a hit that races with such a move may stamp the wrong bucket, so the order is
 *       approximate.</li>
 *   <li><b>Crash safety</b>: a put and each eviction are atomic operations of the table, so a
 *       process killed in the middle of either leaves the cache as before or after it; the next
 *       writer of the segment completes it, with no recovery step.</li>
 *   <li>{@link #get} takes no lock. Counters of hits, misses, puts and evictions are kept per
 *       process, for this process's meters.</li>
 * </ul>
 *
 * <pre>
 *   Cache block: | map block (TableLayout, capacity's geometry) | stamps: segments x buckets longs |
 *   Stamp: | use counter (bits 56-63) | last use, monotonic milliseconds (bits 0-55) |
 *   Value of an entry: | expiry (long, epoch millis; 0 never) | the codec's bytes |
 * </pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class SharedCache<K, V> {

    /** Bytes before the codec's value bytes: the expiry. */
    public static final int VALUE_HEADER = Long.BYTES;

    /** The counter of a new entry: above zero, so that it is not the first to go (Redis's LFU_INIT_VAL). */
    private static final int INITIAL_COUNTER = 5;
    private static final int MAX_COUNTER = 255;
    /** How much rarer each increment gets as the counter grows: the counter is logarithmic. */
    private static final int LOG_FACTOR = 10;
    /** A counter loses one for every this many milliseconds without use, so old favourites age out. */
    private static final long DECAY_MILLIS = 60_000;
    private static final long TIME_MASK = (1L << 56) - 1;

    private static final VarHandle HEAD = MethodHandles.byteArrayViewVarHandle(long[].class, RegionLayout.BYTE_ORDER);

    private final String name;
    private final String description;
    private final Path file;
    private final Codec<K> keys;
    private final Codec<V> values;
    private final MapCapacity capacity;
    private final HashTable table;
    private final MappedByteBuffer buffer;
    private final int stampsOffset;
    private final int buckets;
    private final Policy policy = new Policy();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    SharedCache(RegionFile region, EntryInfo entry, Codec<K> keys, Codec<V> values, MapCapacity capacity,
            HashTable table) {
        this.name = entry.name();
        this.description = "Cache '" + name + "' of region '" + region.options.name() + "'";
        this.file = region.file;
        this.keys = Objects.requireNonNull(keys, "keys");
        this.values = Objects.requireNonNull(values, "values");
        this.capacity = capacity;
        this.table = table;
        this.buffer = region.buffer;
        this.stampsOffset = (int) (entry.blockOffset() + table.geometry().blockLength());
        this.buckets = table.geometry().buckets();
    }

    /**
     * The length of a cache's block: its table, then a stamp per bucket.
     *
     * @param geometry the table's geometry
     * @return the bytes the block needs
     */
    static long blockLength(TableLayout.Geometry geometry) {
        return geometry.blockLength() + (long) geometry.segments() * geometry.buckets() * Long.BYTES;
    }

    /** @return the entry's name */
    public String name() {
        return name;
    }

    /** @return the capacity the cache was created with: the entries it holds before it evicts */
    public MapCapacity capacity() {
        return capacity;
    }

    /**
     * Returns the value cached for a key, without taking a lock.
     *
     * @param key the key
     * @return the value, or {@code null} if none is cached or it has expired
     */
    public @Nullable V get(K key) {
        byte[] encodedKey = encodeKey(key);
        byte[] stored = table.get(encodedKey, policy);
        if (stored == null) {
            misses.increment();
            return null;
        }
        long expiry = expiry(stored);
        if (expiry != 0 && expiry <= System.currentTimeMillis()) {
            misses.increment();
            removeIfExpired(encodedKey);
            return null;
        }
        hits.increment();
        return decodeValue(stored);
    }

    /**
     * Caches a value, replacing any other, evicting other entries of its segment if it is full.
     *
     * @param key the key
     * @param value the value
     * @param timeToLive how long it stays, for every process; {@code null} or zero for as long as
     *     there is room
     * @throws io.hostsync.ValueTooLargeException if the entry is larger than a segment's data area
     */
    public void put(K key, V value, @Nullable Duration timeToLive) {
        byte[] stored = encodeStored(value, timeToLive);
        table.compute(encodeKey(key), current -> stored, policy);
        puts.increment();
    }

    /**
     * Caches a value unless a live one is cached for the key.
     *
     * @param key the key
     * @param value the value
     * @param timeToLive as for {@link #put}
     * @return the value cached before, or {@code null} if this one was cached
     */
    public @Nullable V putIfAbsent(K key, V value, @Nullable Duration timeToLive) {
        byte[] stored = encodeStored(value, timeToLive);
        long now = System.currentTimeMillis();
        byte[][] before = new byte[1][];
        table.compute(encodeKey(key), current -> {
            if (current != null && !expired(current, now)) {
                before[0] = current;
                return current;
            }
            return stored;
        }, policy);
        if (before[0] != null) {
            return decodeValue(before[0]);
        }
        puts.increment();
        return null;
    }

    /**
     * Removes a key's entry for every process.
     *
     * @param key the key
     * @return whether a live entry was removed
     */
    public boolean remove(K key) {
        long now = System.currentTimeMillis();
        byte[] before = table.compute(encodeKey(key), current -> null);
        return before != null && !expired(before, now);
    }

    /** Removes every entry, one segment at a time (each segment atomically). */
    public void clear() {
        table.clear();
    }

    /** @return the entries stored, including expired ones not removed yet (weakly consistent) */
    public long size() {
        return table.size();
    }

    /** @return the hits of this process since it opened the cache */
    public long hits() {
        return hits.sum();
    }

    /** @return the misses of this process (no entry, or an expired one) since it opened the cache */
    public long misses() {
        return misses.sum();
    }

    /** @return the puts of this process since it opened the cache */
    public long puts() {
        return puts.sum();
    }

    /** @return the entries this process evicted to make room, since it opened the cache */
    public long evictions() {
        return evictions.sum();
    }

    /** @return the operations of dead writers completed by the next writer, since the cache was created */
    public long recoveries() {
        return table.recoveries();
    }

    /**
     * Checks the cache's structure, segment by segment under each segment's mutex. For tests and
     * diagnostics.
     *
     * @return the problems found, empty if none
     */
    public List<String> verify() {
        return table.verify();
    }

    private void removeIfExpired(byte[] encodedKey) {
        long now = System.currentTimeMillis();
        byte[] before = table.compute(encodedKey, current -> current != null && expired(current, now) ? null : current);
        if (before != null && expired(before, now)) {
            evictions.increment();
        }
    }

    private static boolean expired(byte[] stored, long now) {
        long expiry = expiry(stored);
        return expiry != 0 && expiry <= now;
    }

    private static long expiry(byte[] stored) {
        return stored.length >= VALUE_HEADER ? (long) HEAD.get(stored, 0) : 0L;
    }

    private byte[] encodeStored(V value, @Nullable Duration timeToLive) {
        byte[] encoded = values.encode(Objects.requireNonNull(value, "value"));
        byte[] stored = new byte[VALUE_HEADER + encoded.length];
        long expiry = 0;
        if (timeToLive != null && !timeToLive.isZero()) {
            if (timeToLive.isNegative()) {
                throw new IllegalArgumentException(description + " was given a negative time to live, " + timeToLive
                        + ": give a positive duration, or zero for entries that stay until evicted");
            }
            expiry = System.currentTimeMillis() + Math.min(timeToLive.toMillis(), Long.MAX_VALUE / 4);
        }
        HEAD.set(stored, 0, expiry);
        System.arraycopy(encoded, 0, stored, VALUE_HEADER, encoded.length);
        return stored;
    }

    private byte[] encodeKey(K key) {
        return keys.encode(Objects.requireNonNull(key, "key"));
    }

    private V decodeValue(byte[] stored) {
        try {
            return values.decode(Arrays.copyOfRange(stored, VALUE_HEADER, stored.length));
        } catch (RuntimeException e) {
            throw new HostsyncException(description + " (" + file + ") holds a value of " + stored.length
                    + " bytes that could not be decoded: " + e + ". Every process must use compatible codecs for it.",
                    e);
        }
    }

    /** Sampled LFU with aging over the stamps, expired entries first. */
    private final class Policy implements HashTable.Eviction {

        @Override
        public void accessed(int segment, int bucket) {
            int at = stamp(segment, bucket);
            long stamp = (long) LONGS.getOpaque(buffer, at);
            long now = nowMillis();
            int counter = decayed(stamp, now);
            if (counter < MAX_COUNTER) {
                int base = Math.max(0, counter - INITIAL_COUNTER);
                if (base == 0 || ThreadLocalRandom.current().nextInt(base * LOG_FACTOR + 1) == 0) {
                    counter++;
                }
            }
            long next = packStamp(counter, now);
            if (next != stamp) {
                LONGS.setOpaque(buffer, at, next);
            }
        }

        @Override
        public void moved(int segment, int from, int to) {
            LONGS.setOpaque(buffer, stamp(segment, to), (long) LONGS.getOpaque(buffer, stamp(segment, from)));
        }

        @Override
        public void written(int segment, int bucket) {
            LONGS.setOpaque(buffer, stamp(segment, bucket), packStamp(INITIAL_COUNTER, nowMillis()));
        }

        @Override
        public long rank(int segment, int bucket, long valueHead) {
            if (valueHead != 0 && valueHead <= System.currentTimeMillis()) {
                return Long.MIN_VALUE;
            }
            long stamp = (long) LONGS.getOpaque(buffer, stamp(segment, bucket));
            return packStamp(decayed(stamp, nowMillis()), stamp & TIME_MASK); // fewer uses first, then older
        }

        @Override
        public void evicted(long rank) {
            evictions.increment();
        }

        private int stamp(int segment, int bucket) {
            return stampsOffset + (segment * buckets + bucket) * Long.BYTES;
        }
    }

    /** A stamp: the use counter in bits 56-63, the last use in milliseconds of the monotonic clock in bits 0-55. */
    private static long packStamp(int counter, long millis) {
        return (long) counter << 56 | (millis & TIME_MASK);
    }

    /** The stamp's counter, less one for every {@link #DECAY_MILLIS} since its last use. */
    private static int decayed(long stamp, long now) {
        int counter = (int) (stamp >>> 56);
        long idle = (now - (stamp & TIME_MASK)) & TIME_MASK;
        return (int) Math.max(0, counter - idle / DECAY_MILLIS);
    }

    private static long nowMillis() {
        return (System.nanoTime() / 1_000_000) & TIME_MASK;
    }

    @Override
    public String toString() {
        return "SharedCache[" + description + ", " + size() + " entries]";
    }
}

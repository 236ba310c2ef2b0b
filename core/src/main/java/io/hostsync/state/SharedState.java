package io.hostsync.state;

import io.hostsync.EntryMismatchException;
import io.hostsync.Names;
import io.hostsync.RWLock;
import io.hostsync.RegionHeader;
import io.hostsync.SharedRegion;
import io.hostsync.internal.region.Directory;
import io.hostsync.internal.region.HeaderFormat;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.region.RegionLayout;
import io.hostsync.internal.table.HashTable;
import io.hostsync.internal.table.TableLayout;
import io.hostsync.internal.table.TableLayout.Geometry;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The data side of a region: named counters, arrays, values, raw bytes, semaphores and maps that
 * every process opening the region can create or find by name. Asking for an existing name with
 * another type or size fails with an {@link EntryMismatchException} naming both.
 *
 * <p>Entries live as long as the region: until reboot or deletion for a region in
 * {@code /dev/shm}, across restarts for a region in a persistent directory. Entries are never
 * removed; their space is reserved when they are created, and a full directory or heap is
 * refused before anything is written.
 *
 * <p>Obtained from {@link SharedRegion#state()}. Thread-safe; each entry has one instance per JVM.
 */
public final class SharedState {

    private final RegionFile region;
    private final Function<String, RWLock> locks;
    private final Map<String, Held> entries = new ConcurrentHashMap<>();
    private final Map<String, HashTable> tables = new ConcurrentHashMap<>();
    private final Object recorderLock = new Object();
    /** Makes each map's recorder; null records nothing. Guarded by {@link #recorderLock}. */
    private @Nullable Function<String, MapOperationRecorder> mapRecorders;

    private record Held(EntryInfo entry, Object object) {
    }

    /**
     * The state of an open region file. Not for applications, which get it from
     * {@link SharedRegion#state()}; one per region file and JVM.
     *
     * @param region the region file open in this JVM
     * @param locks this JVM's locks of the region, by name (for entries guarded by a lock)
     */
    public SharedState(RegionFile region, Function<String, RWLock> locks) {
        this.region = region;
        this.locks = locks;
    }

    /**
     * Finds or creates a counter.
     *
     * @param name 1 to {@value Names#MAX_ENTRY_LENGTH} characters of {@value Names#CHARACTERS}
     * @return the counter, 0 when created
     */
    public SharedCounter counter(String name) {
        return get(name, EntryType.COUNTER, 0, Long.BYTES, entry -> new SharedCounter(region, entry));
    }

    /**
     * Finds or creates an array of longs.
     *
     * @param name the entry's name
     * @param length the number of elements
     * @return the array, zeroed when created
     */
    public SharedLongArray longArray(String name, int length) {
        checkLength(name, length);
        return get(name, EntryType.LONG_ARRAY, length, (long) length * Long.BYTES,
                entry -> new SharedLongArray(region, entry));
    }

    /**
     * Finds or creates an array of ints.
     *
     * @param name the entry's name
     * @param length the number of elements
     * @return the array, zeroed when created
     */
    public SharedIntArray intArray(String name, int length) {
        checkLength(name, length);
        return get(name, EntryType.INT_ARRAY, length, (long) length * Integer.BYTES,
                entry -> new SharedIntArray(region, entry));
    }

    /**
     * Finds or creates an array of doubles.
     *
     * @param name the entry's name
     * @param length the number of elements
     * @return the array, zeroed when created
     */
    public SharedDoubleArray doubleArray(String name, int length) {
        checkLength(name, length);
        return get(name, EntryType.DOUBLE_ARRAY, length, (long) length * Double.BYTES,
                entry -> new SharedDoubleArray(region, entry));
    }

    /**
     * Finds or creates a typed value.
     *
     * @param name the entry's name
     * @param codec how values become bytes and back (see {@link Codecs})
     * @param capacity the largest encoded value, in bytes
     * @param <T> the value type
     * @return the value, {@code null} until first set
     */
    public <T> SharedValue<T> value(String name, Codec<T> codec, int capacity) {
        checkLength(name, capacity);
        return get(name, EntryType.VALUE, capacity, SharedValue.blockLength(capacity),
                entry -> new SharedValue<>(region, entry, codec));
    }

    /**
     * Finds or creates raw bytes guarded by the region's default lock.
     *
     * @param name the entry's name
     * @param size the number of bytes
     * @return the bytes, zeroed when created
     */
    public SharedBytes bytes(String name, int size) {
        return bytes(name, size, RegionLayout.DEFAULT_LOCK_NAME);
    }

    /**
     * Finds or creates raw bytes guarded by a named lock.
     *
     * @param name the entry's name
     * @param size the number of bytes
     * @param lockName the lock whose read and write locks guard the bytes
     * @return the bytes, zeroed when created
     */
    public SharedBytes bytes(String name, int size, String lockName) {
        checkLength(name, size);
        return get(name, EntryType.BYTES, size, size, entry -> new SharedBytes(region, entry, locks.apply(lockName)));
    }

    /**
     * Finds or creates a counting semaphore.
     *
     * @param name the entry's name
     * @param permits the number of permits
     * @return the semaphore
     */
    public SharedSemaphore semaphore(String name, int permits) {
        checkLength(name, permits);
        return get(name, EntryType.SEMAPHORE, permits, SharedSemaphore.blockLength(region.header.slotCapacity()),
                entry -> new SharedSemaphore(region, entry));
    }

    /**
     * Finds or creates a map: a crash-safe hash table in the region, whose capacity is fixed when
     * it is created (see {@link SharedMap} and {@link MapCapacity}).
     *
     * @param name the entry's name
     * @param keys the codec of keys (equal keys must encode to equal bytes)
     * @param values the codec of values
     * @param capacity the entries and average entry size the map is created for; every process
     *     must give the same
     * @param <K> the key type
     * @param <V> the value type
     * @return the map, empty when created
     * @throws EntryMismatchException if the name holds something else, another capacity, or a map
     *     in the encoded format of earlier versions
     */
    public <K, V> SharedMap<K, V> map(String name, Codec<K> keys, Codec<V> values, MapCapacity capacity) {
        Geometry geometry = TableLayout.geometry(capacity.entries(), capacity.averageEntryBytes());
        SharedMap<K, V> map = get(name, EntryType.MAP, capacity.parameter(), geometry.blockLength(),
                block -> HashTable.initialise(region.buffer, block, geometry),
                entry -> new SharedMap<>(region, entry, keys, values, capacity, table(entry, capacity)));
        synchronized (recorderLock) { // after the map is in the entries: an installation now or later reaches it
            if (mapRecorders != null && map.recorderSource() != mapRecorders) {
                map.recorder(mapRecorders.apply(name), mapRecorders);
            }
        }
        return map;
    }

    /**
     * Has every map of this JVM, made before or after, tell a recorder of the operations it
     * completes: for metrics. The function is called once per map, with the map's name, when the
     * map is first asked for in this JVM (or now, for the maps asked for already).
     *
     * @param recorders makes a map's recorder from its name; {@code null} to record nothing again
     */
    public void recordMapOperations(@Nullable Function<String, MapOperationRecorder> recorders) {
        synchronized (recorderLock) {
            mapRecorders = recorders;
            for (Held held : entries.values()) {
                if (held.object instanceof SharedMap<?, ?> map) {
                    map.recorder(recorders == null ? MapOperationRecorder.NONE : recorders.apply(map.name()),
                            recorders);
                }
            }
        }
    }

    /**
     * Finds or creates a cache: a map's crash-safe hash table with a time to live per entry and
     * eviction of the least used entries when full, both host-wide (see
     * {@link SharedCache}).
     *
     * @param name the entry's name
     * @param keys the codec of keys (equal keys must encode to equal bytes)
     * @param values the codec of values
     * @param capacity the entries the cache holds before it evicts, and their average size (key,
     *     value and {@value SharedCache#VALUE_HEADER} bytes of expiry); every process must give the
     *     same
     * @param <K> the key type
     * @param <V> the value type
     * @return the cache, empty when created
     * @throws EntryMismatchException if the name holds something else or a cache of another capacity
     */
    public <K, V> SharedCache<K, V> cache(String name, Codec<K> keys, Codec<V> values, MapCapacity capacity) {
        Geometry geometry = TableLayout.geometry(capacity.entries(), capacity.averageEntryBytes());
        return get(name, EntryType.CACHE, capacity.parameter(), SharedCache.blockLength(geometry),
                block -> HashTable.initialise(region.buffer, block, geometry),
                entry -> new SharedCache<>(region, entry, keys, values, capacity, new HashTable(region,
                        entry.blockOffset(), geometry,
                        "Cache '" + name + "' of region '" + region.options.name() + "'")));
    }

    /**
     * Reads the figures of a map that any process created, without its codecs.
     *
     * @param name the map's name
     * @return its figures, or {@code null} if the region has no map of that name
     */
    public @Nullable MapStatistics mapStatistics(String name) {
        region.ensureOpen();
        for (EntryInfo entry : region.directory.entries()) {
            if (entry.type() == EntryType.MAP && entry.name().equals(name)) {
                return statistics(entry);
            }
        }
        return null;
    }

    /**
     * Reads the figures of every map in the region, created by any process, without their codecs.
     *
     * @return the maps' figures, in directory order
     */
    public List<MapStatistics> mapStatistics() {
        region.ensureOpen();
        List<MapStatistics> maps = new ArrayList<>();
        for (EntryInfo entry : region.directory.entries()) {
            if (entry.type() == EntryType.MAP) {
                maps.add(statistics(entry));
            }
        }
        return maps;
    }

    private MapStatistics statistics(EntryInfo entry) {
        MapCapacity capacity;
        try {
            capacity = new MapCapacity((int) entry.parameter(), (int) (entry.parameter() >>> 32));
        } catch (IllegalArgumentException e) {
            throw HeaderFormat.corrupted(region.file, "has a corrupted directory entry '" + entry.name() + "': its map"
                    + " capacity is impossible (" + e.getMessage() + ")");
        }
        HashTable table = table(entry, capacity);
        return new MapStatistics(entry.name(), table.size(), capacity, table.geometry().segments(), table.recoveries());
    }

    /** One table per map and JVM, shared by the map and its statistics, so that its mutexes are one per segment. */
    private HashTable table(EntryInfo entry, MapCapacity capacity) {
        return tables.computeIfAbsent(entry.name(), name -> {
            Geometry geometry = TableLayout.geometry(capacity.entries(), capacity.averageEntryBytes());
            if (geometry.blockLength() > entry.blockLength()) {
                throw HeaderFormat.corrupted(region.file, "has a corrupted directory entry '" + name + "': a map of "
                        + capacity + " with a block of " + entry.blockLength() + " bytes, smaller than the "
                        + geometry.blockLength() + " bytes it needs");
            }
            return new HashTable(region, entry.blockOffset(), geometry,
                    "Map '" + name + "' of region '" + region.options.name() + "'");
        });
    }

    /** @return the entries of the region's directory, created by any process */
    public List<EntryInfo> entries() {
        region.ensureOpen();
        return region.directory.entries();
    }

    private <E> E get(String name, EntryType type, long parameter, long blockLength, Function<EntryInfo, E> factory) {
        return get(name, type, parameter, blockLength, block -> {
        }, factory);
    }

    @SuppressWarnings("unchecked")
    private <E> E get(String name, EntryType type, long parameter, long blockLength, LongConsumer initialiser,
            Function<EntryInfo, E> factory) {
        region.ensureOpen();
        Held held = entries.get(name);
        if (held == null) {
            Names.requireEntryName(name);
            EntryInfo entry = region.directory.entry(name, type, parameter, blockLength, initialiser);
            held = entries.computeIfAbsent(name, key -> new Held(entry, factory.apply(entry)));
        }
        if (held.entry.type() != type || held.entry.parameter() != parameter) {
            region.directory.entry(name, type, parameter, blockLength); // throws, describing both
        }
        return (E) held.object;
    }

    private static void checkLength(String name, long length) {
        if (length <= 0 || length > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException(
                    "Size " + length + " of entry '" + name + "' must be positive and at most "
                            + Integer.MAX_VALUE / 8);
        }
    }

    /**
     * Releases the permits that the dead previous owner of a slot held in every semaphore of a
     * region. Not for applications: the region layer calls it, under the region's initialisation
     * lock, when this process claims the slot.
     *
     * @param buffer the mapping
     * @param header the region's header
     * @param slot the slot just claimed
     * @param file the region file, for messages
     */
    public static void reclaimSlot(MappedByteBuffer buffer, RegionHeader header, int slot, Path file) {
        for (EntryInfo entry : Directory.entries(buffer, header, file)) {
            if (entry.type() == EntryType.SEMAPHORE) {
                if (entry.blockLength() < SharedSemaphore.blockLength(header.slotCapacity())) {
                    throw HeaderFormat.corrupted(file, "has a corrupted directory entry '" + entry.name()
                            + "': a semaphore's block of " + entry.blockLength() + " bytes");
                }
                SharedSemaphore.reclaimSlot(buffer, entry, slot);
            }
        }
    }
}

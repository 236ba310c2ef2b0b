package io.hostsync.state;

import io.hostsync.HostsyncException;
import io.hostsync.RegionFullException;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.table.HashTable;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ConcurrentMap} shared by every process that opens the region: a crash-safe hash table
 * in the region's memory, in segments (see {@link MapCapacity} for its capacity, and
 * {@code docs/shared-state.md}).
 *
 * <ul>
 *   <li>Keys and values go through {@link Codec}s. <b>Keys are equal when their encoded bytes
 *       are</b>: the codec of keys must encode equal keys to equal bytes (a JSON codec of a map
 *       with unordered fields would not). Values are compared with {@link Object#equals} after
 *       decoding ({@link #remove(Object, Object)}, {@link #replace(Object, Object, Object)}).
 *       {@code null} keys and values are refused, as by {@link java.util.concurrent.ConcurrentHashMap}.</li>
 *   <li>{@link #get} takes no lock and never returns a half-written value. Every change of a key
 *       is atomic across processes: it runs holding the mutex of the key's segment.</li>
 *   <li>{@link #compute}, {@link #computeIfAbsent}, {@link #computeIfPresent} and {@link #merge}
 *       call their function <b>once, while the key's segment is locked</b> for every process: keep
 *       it short, and do not change this map from inside it (that fails with an
 *       {@link IllegalStateException}). If the function throws, nothing is changed and the
 *       exception reaches the caller.</li>
 *   <li>A process killed in the middle of a change leaves the map as if the change happened
 *       entirely or not at all: the next writer of that segment completes it, while other segments
 *       go on as usual.</li>
 *   <li>{@link #size}, iteration, {@link #clear} and bulk operations are weakly consistent, as in
 *       {@code ConcurrentHashMap}: iteration sees each segment as it was at one moment, segment
 *       after segment, and never throws {@link java.util.ConcurrentModificationException}.</li>
 *   <li>A put that finds no room in its segment throws {@link RegionFullException} and changes
 *       nothing.</li>
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class SharedMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {

    private final String name;
    private final String description;
    private final Path file;
    private final Codec<K> keys;
    private final Codec<V> values;
    private final MapCapacity capacity;
    private final HashTable table;
    /** Set while this thread runs a function given to compute or merge, which must not change the map. */
    private final ThreadLocal<Boolean> inFunction = new ThreadLocal<>();
    private @Nullable Set<Map.Entry<K, V>> entrySet;
    private @Nullable Set<K> keySet;
    /** Told of each operation; {@link MapOperationRecorder#NONE} unless metrics are on. */
    private volatile MapOperationRecorder recorder = MapOperationRecorder.NONE;
    /** Where {@link #recorder} came from, so that it is made once per source; guarded by the SharedState. */
    private @Nullable Object recorderSource;

    SharedMap(RegionFile region, EntryInfo entry, Codec<K> keys, Codec<V> values, MapCapacity capacity,
            HashTable table) {
        this.name = entry.name();
        this.description = "Map '" + name + "' of region '" + region.options.name() + "'";
        this.file = region.file;
        this.keys = Objects.requireNonNull(keys, "keys");
        this.values = Objects.requireNonNull(values, "values");
        this.capacity = capacity;
        this.table = table;
    }

    /** @return the entry's name */
    public String name() {
        return name;
    }

    /** @return the capacity the map was created with */
    public MapCapacity capacity() {
        return capacity;
    }

    /**
     * Returns how many changes of processes that died in the middle of them were completed by the
     * next writer of their segment, since the map was created.
     *
     * @return the number of such recoveries
     */
    public long recoveries() {
        return table.recoveries();
    }

    /**
     * Checks the map's structure, segment by segment under each segment's mutex: counts, buckets,
     * records and free-space bitmap agree. For tests and diagnostics; it takes every segment's
     * mutex in turn.
     *
     * @return the problems found, empty if none
     */
    public List<String> verify() {
        return table.verify();
    }

    /** Installed by {@link SharedState}, holding its lock. */
    void recorder(MapOperationRecorder recorder, @Nullable Object source) {
        this.recorder = recorder;
        this.recorderSource = source;
    }

    /** Read by {@link SharedState}, holding its lock. */
    @Nullable
    Object recorderSource() {
        return recorderSource;
    }

    @Override
    public @Nullable V get(Object key) {
        byte[] value = table.get(encodeKey(key));
        recorder.record(MapOperation.GET, value != null);
        return value == null ? null : decodeValue(value);
    }

    @Override
    public boolean containsKey(Object key) {
        boolean found = table.get(encodeKey(key)) != null;
        recorder.record(MapOperation.GET, found);
        return found;
    }

    @Override
    public @Nullable V put(K key, V value) {
        byte[] encoded = encodeValue(value);
        return decodeOrNull(change(MapOperation.PUT, key, current -> encoded));
    }

    /**
     * Stores a value for a key, like {@link #put}, but neither copies out nor decodes the value it
     * replaces: for callers that do not need it.
     *
     * @param key the key
     * @param value the value
     * @throws RegionFullException if the key's segment has no room; nothing was changed
     */
    public void set(K key, V value) {
        byte[] encoded = encodeValue(value);
        checkNotInFunction();
        boolean replaced = table.put(encodeKey(key), encoded);
        recorder.record(MapOperation.PUT, replaced);
    }

    @Override
    public @Nullable V putIfAbsent(K key, V value) {
        byte[] encoded = encodeValue(value);
        return decodeOrNull(change(MapOperation.PUT_IF_ABSENT, key, current -> current == null ? encoded : current));
    }

    @Override
    public @Nullable V remove(Object key) {
        return decodeOrNull(change(MapOperation.REMOVE, key, current -> null));
    }

    @Override
    public boolean remove(Object key, Object value) {
        if (value == null) {
            return false;
        }
        boolean[] removed = new boolean[1];
        change(MapOperation.REMOVE, key, current -> {
            removed[0] = current != null && value.equals(decodeValue(current));
            return removed[0] ? null : current;
        });
        return removed[0];
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(oldValue, "oldValue");
        byte[] encoded = encodeValue(newValue);
        boolean[] replaced = new boolean[1];
        change(MapOperation.REPLACE, key, current -> {
            replaced[0] = current != null && oldValue.equals(decodeValue(current));
            return replaced[0] ? encoded : current;
        });
        return replaced[0];
    }

    @Override
    public @Nullable V replace(K key, V value) {
        byte[] encoded = encodeValue(value);
        return decodeOrNull(change(MapOperation.REPLACE, key, current -> current == null ? null : encoded));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The function runs at most once, holding the key's segment locked for every process.
     */
    @Override
    public @Nullable V computeIfAbsent(K key, Function<? super K, ? extends V> function) {
        Objects.requireNonNull(function, "function");
        Object[] result = new Object[1];
        change(MapOperation.COMPUTE_IF_ABSENT, key, current -> {
            if (current != null) {
                result[0] = decodeValue(current);
                return current;
            }
            V computed = callFunction(() -> function.apply(key));
            result[0] = computed;
            return computed == null ? null : encodeValue(computed);
        });
        return cast(result[0]);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The function runs at most once, holding the key's segment locked for every process.
     */
    @Override
    public @Nullable V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function, "function");
        Object[] result = new Object[1];
        change(MapOperation.COMPUTE_IF_PRESENT, key, current -> {
            if (current == null) {
                return null;
            }
            V old = decodeValue(current);
            V computed = callFunction(() -> function.apply(key, old));
            result[0] = computed;
            return computed == null ? null : encodeValue(computed);
        });
        return cast(result[0]);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The function runs exactly once, holding the key's segment locked for every process.
     */
    @Override
    public @Nullable V compute(K key, BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function, "function");
        Object[] result = new Object[1];
        change(MapOperation.COMPUTE, key, current -> {
            V old = current == null ? null : decodeValue(current);
            V computed = callFunction(() -> function.apply(key, old));
            result[0] = computed;
            return computed == null ? null : encodeValue(computed);
        });
        return cast(result[0]);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The function runs at most once, holding the key's segment locked for every process.
     */
    @Override
    public @Nullable V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> function) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(function, "function");
        Object[] result = new Object[1];
        change(MapOperation.MERGE, key, current -> {
            V merged = current == null ? value : callFunction(() -> function.apply(decodeValue(current), value));
            result[0] = merged;
            return merged == null ? null : encodeValue(merged);
        });
        return cast(result[0]);
    }

    /** Removes every entry, one segment at a time: each segment is emptied atomically. */
    @Override
    public void clear() {
        checkNotInFunction();
        table.clear();
    }

    /** @return the number of entries, summed segment after segment (weakly consistent) */
    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, table.size());
    }

    @Override
    public boolean isEmpty() {
        return table.size() == 0;
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> entries = entrySet;
        return entries != null ? entries : (entrySet = new EntrySet());
    }

    @Override
    public Set<K> keySet() {
        Set<K> set = keySet;
        return set != null ? set : (keySet = new KeySet());
    }

    /** Changes one key under its segment's mutex, and records the operation once it returned. */
    private byte @Nullable [] change(MapOperation operation, Object key, UnaryOperator<byte @Nullable []> function) {
        checkNotInFunction();
        byte[] previous = table.compute(encodeKey(key), function);
        recorder.record(operation, previous != null);
        return previous;
    }

    private void checkNotInFunction() {
        if (inFunction.get() != null) {
            throw new IllegalStateException(description + " is being changed by this thread already: do not change it"
                    + " from inside a function given to its compute, computeIfAbsent, computeIfPresent or merge");
        }
    }

    private <T> T callFunction(java.util.function.Supplier<T> function) {
        inFunction.set(Boolean.TRUE);
        try {
            return function.get();
        } finally {
            inFunction.remove();
        }
    }

    @SuppressWarnings("unchecked")
    private byte[] encodeKey(Object key) {
        return keys.encode((K) Objects.requireNonNull(key, "key"));
    }

    private byte[] encodeValue(V value) {
        return values.encode(Objects.requireNonNull(value, "value"));
    }

    private @Nullable V decodeOrNull(byte @Nullable [] bytes) {
        return bytes == null ? null : decodeValue(bytes);
    }

    private V decodeValue(byte[] bytes) {
        try {
            return values.decode(bytes);
        } catch (RuntimeException e) {
            throw undecodable("value", bytes, e);
        }
    }

    private K decodeKey(byte[] bytes) {
        try {
            return keys.decode(bytes);
        } catch (RuntimeException e) {
            throw undecodable("key", bytes, e);
        }
    }

    private HostsyncException undecodable(String part, byte[] bytes, RuntimeException e) {
        return new HostsyncException(description + " (" + file + ") holds a " + part + " of " + bytes.length
                + " bytes that could not be decoded: " + e + ". Every process must use compatible codecs for it.", e);
    }

    @SuppressWarnings("unchecked")
    private @Nullable V cast(@Nullable Object value) {
        return (V) value;
    }

    /** An entry seen by an iterator; {@link #setValue} writes through to the map. */
    private final class MapEntry extends AbstractMap.SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        MapEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            put(getKey(), value);
            return super.setValue(value);
        }
    }

    /** Walks the segments in order, each one copied as it was at one moment. */
    private final class EntryIterator implements Iterator<Map.Entry<K, V>> {
        private int segment;
        private Iterator<byte[][]> current = Collections.emptyIterator();
        private @Nullable MapEntry last;

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && segment < table.geometry().segments()) {
                current = table.entries(segment++).iterator();
            }
            return current.hasNext();
        }

        @Override
        public Map.Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            byte[][] entry = current.next();
            last = new MapEntry(decodeKey(entry[0]), decodeValue(entry[1]));
            return last;
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("next() has not returned an entry to remove");
            }
            SharedMap.this.remove(last.getKey());
            last = null;
        }
    }

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new EntryIterator();
        }

        @Override
        public int size() {
            return SharedMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry<?, ?> entry) || entry.getKey() == null || entry.getValue() == null) {
                return false;
            }
            V value = get(entry.getKey());
            return value != null && value.equals(entry.getValue());
        }

        @Override
        public boolean remove(Object o) {
            return o instanceof Map.Entry<?, ?> entry && entry.getKey() != null
                    && SharedMap.this.remove(entry.getKey(), entry.getValue());
        }

        @Override
        public void clear() {
            SharedMap.this.clear();
        }
    }

    private final class KeySet extends AbstractSet<K> {
        @Override
        public Iterator<K> iterator() {
            Iterator<Map.Entry<K, V>> entries = new EntryIterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public K next() {
                    return entries.next().getKey();
                }

                @Override
                public void remove() {
                    entries.remove();
                }
            };
        }

        @Override
        public int size() {
            return SharedMap.this.size();
        }

        @Override
        public boolean contains(Object o) {
            return o != null && containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            return o != null && SharedMap.this.remove(o) != null;
        }

        @Override
        public void clear() {
            SharedMap.this.clear();
        }
    }

    @Override
    public String toString() {
        return "SharedMap[" + description + ", " + size() + " entries]";
    }
}

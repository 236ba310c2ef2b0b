package io.hostsync.state;

import io.hostsync.RegionFormatException;
import io.hostsync.ValueTooLargeException;
import io.hostsync.internal.region.HeaderFormat;
import io.hostsync.internal.region.RegionFile;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A small map shared by every process that opens the region — Python's {@code Manager().dict()}
 * for JVMs on one host. Keys and values go through {@link Codec}s.
 *
 * <p>Simple and correct rather than fast: the whole map is one {@link SharedValue}, encoded in a
 * block of fixed capacity. Reads decode a snapshot once per change and are never torn; every
 * change ({@link #put}, {@link #remove}, {@link #compute}...) decodes, changes and re-encodes the
 * whole map under the value's crash-safe mutex, so it is atomic across processes. Limits: the
 * encoded map must fit the capacity (a change that would not fit is refused and changes
 * nothing), and a change costs time proportional to the map's size.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class SharedMap<K, V> {

    private final SharedValue<Map<K, V>> value;

    SharedMap(RegionFile region, EntryInfo entry, Codec<K> keys, Codec<V> values) {
        this.value = new SharedValue<>(region, entry, new MapCodec<>(keys, values, region.file,
                "map '" + entry.name() + "' (region '" + region.options.name() + "')"));
    }

    /** @return the entry's name */
    public String name() {
        return value.name();
    }

    /** @return the capacity in bytes of the encoded map */
    public int capacity() {
        return value.capacity();
    }

    /**
     * @param key a key
     * @return its value, or {@code null}
     */
    public V get(K key) {
        return snapshot().get(key);
    }

    /**
     * @param key a key
     * @return whether the map holds it
     */
    public boolean containsKey(K key) {
        return snapshot().containsKey(key);
    }

    /** @return the number of entries */
    public int size() {
        return snapshot().size();
    }

    /**
     * Returns the whole map as it was at one committed change: iterate over it freely.
     *
     * @return an unmodifiable snapshot, in insertion order
     */
    public Map<K, V> snapshot() {
        Map<K, V> map = value.get();
        return map == null ? Map.of() : map;
    }

    /**
     * @param key a key
     * @param newValue its value
     * @return the previous value, or {@code null}
     * @throws ValueTooLargeException if the map would no longer fit its capacity
     */
    public V put(K key, V newValue) {
        Object[] previous = new Object[1];
        change(map -> previous[0] = map.put(key, newValue));
        return cast(previous[0]);
    }

    /**
     * @param key a key
     * @param newValue its value if it has none
     * @return the current value if there was one, else {@code null}
     */
    public V putIfAbsent(K key, V newValue) {
        Object[] previous = new Object[1];
        change(map -> previous[0] = map.putIfAbsent(key, newValue));
        return cast(previous[0]);
    }

    /**
     * @param key a key
     * @return the removed value, or {@code null}
     */
    public V remove(K key) {
        Object[] previous = new Object[1];
        change(map -> previous[0] = map.remove(key));
        return cast(previous[0]);
    }

    /**
     * Computes a key's value atomically across processes, as {@link Map#compute} does.
     *
     * @param key a key
     * @param function from the key and its value (maybe {@code null}) to the new value ({@code null} removes)
     * @return the new value
     */
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> function) {
        Object[] result = new Object[1];
        change(map -> result[0] = map.compute(key, function));
        return cast(result[0]);
    }

    /**
     * Computes a value for an absent key atomically across processes.
     *
     * @param key a key
     * @param function from the key to its value
     * @return the current or computed value
     */
    public V computeIfAbsent(K key, Function<? super K, ? extends V> function) {
        Object[] result = new Object[1];
        change(map -> result[0] = map.computeIfAbsent(key, function));
        return cast(result[0]);
    }

    /** Removes every entry. */
    public void clear() {
        change(Map::clear);
    }

    private void change(java.util.function.Consumer<Map<K, V>> change) {
        value.update(current -> {
            Map<K, V> next = current == null ? new LinkedHashMap<>() : new LinkedHashMap<>(current);
            change.accept(next);
            return Collections.unmodifiableMap(next);
        });
    }

    @SuppressWarnings("unchecked")
    private V cast(Object value) {
        return (V) value;
    }

    /** Encodes a map as a count, then length-prefixed keys and values. */
    private static final class MapCodec<K, V> implements Codec<Map<K, V>> {
        private final Codec<K> keys;
        private final Codec<V> values;
        private final Path file;
        private final String described;

        MapCodec(Codec<K> keys, Codec<V> values, Path file, String described) {
            this.keys = keys;
            this.values = values;
            this.file = file;
            this.described = described;
        }

        @Override
        public byte[] encode(Map<K, V> map) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(map.size());
                for (Map.Entry<K, V> entry : map.entrySet()) {
                    write(out, keys.encode(entry.getKey()));
                    write(out, entry.getValue() == null ? null : values.encode(entry.getValue()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        @Override
        public Map<K, V> decode(byte[] bytes) {
            // The stored count and lengths are checked against the bytes there are before anything is
            // allocated: a damaged length must not become a 2 GB array.
            try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
                int size = bytes.length < Integer.BYTES ? -1 : in.readInt();
                if (size < 0 || size > (bytes.length - Integer.BYTES) / (2 * Integer.BYTES)) {
                    throw damaged("stores " + size + " entries in " + bytes.length + " bytes");
                }
                Map<K, V> map = new LinkedHashMap<>();
                for (int i = 0; i < size; i++) {
                    byte[] key = read(in, i, "key", bytes.length);
                    byte[] entryValue = read(in, i, "value", bytes.length);
                    map.put(keys.decode(key), entryValue == null ? null : values.decode(entryValue));
                }
                return Collections.unmodifiableMap(map);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private RegionFormatException damaged(String finding) {
            return HeaderFormat.corrupted(file, "has a corrupted " + described + ": its encoding " + finding);
        }

        private static void write(DataOutputStream out, byte[] bytes) throws IOException {
            out.writeInt(bytes == null ? -1 : bytes.length);
            if (bytes != null) {
                out.write(bytes);
            }
        }

        private byte[] read(DataInputStream in, int entry, String part, int total) throws IOException {
            if (in.available() < Integer.BYTES) {
                throw damaged("ends in entry " + entry + ", before its " + part + " (" + total + " bytes in all)");
            }
            int length = in.readInt();
            if (length < -1 || length > in.available()) {
                throw damaged("gives entry " + entry + " a " + part + " length of " + length + " bytes, with "
                        + in.available() + " of its " + total + " bytes left");
            }
            if (length < 0) {
                return null;
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return bytes;
        }
    }
}

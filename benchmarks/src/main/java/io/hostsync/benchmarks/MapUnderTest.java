package io.hostsync.benchmarks;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.openhft.chronicle.map.ChronicleMap;
import org.redisson.Redisson;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

/**
 * One map of {@link MapBenchmark}, with byte-array keys ({@value #KEY_BYTES} bytes) and values
 * ({@value #VALUE_BYTES} bytes), filled with {@link #entries} entries: {@code key(0)} to
 * {@code key(entries - 1)}. A map shared by processes is created by the benchmark and joined by
 * its partners with {@link #join(List)}, from {@link #joinArguments()}.
 */
abstract class MapUnderTest implements AutoCloseable {

    /** Bytes of a key: {@code k} and 15 decimal digits. */
    static final int KEY_BYTES = 16;
    /** Bytes of a value. */
    static final int VALUE_BYTES = 64;

    final int entries;

    MapUnderTest(int entries) {
        this.entries = entries;
    }

    /** @return the value of the key, or {@code null} */
    abstract byte[] get(byte[] key);

    /** Maps the key to the value. */
    abstract void put(byte[] key, byte[] value);

    /** Maps the key to the value without reading the value replaced, where the map can: else {@link #put}. */
    void set(byte[] key, byte[] value) {
        put(key, value);
    }

    /** @return the arguments a partner process gives {@link #join(List)}, or {@code null} if it cannot join */
    abstract List<String> joinArguments();

    /** Releases the map; the creator also deletes its files. */
    @Override
    public abstract void close();

    /** @return the key of entry {@code index}: {@code k} and 15 digits, {@value #KEY_BYTES} bytes */
    static byte[] key(long index) {
        byte[] key = new byte[KEY_BYTES];
        key[0] = 'k';
        long rest = index;
        for (int i = KEY_BYTES - 1; i > 0; i--) {
            key[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return key;
    }

    /** @return a value of {@value #VALUE_BYTES} bytes that starts with the decimal {@code seed} */
    static byte[] value(long seed) {
        byte[] value = new byte[VALUE_BYTES];
        byte[] digits = Long.toString(seed).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, value, 0, Math.min(digits.length, VALUE_BYTES));
        return value;
    }

    /**
     * Creates a contender's map and fills it.
     *
     * @param contender {@code concurrentHashMap}, {@code chronicleMap}, {@code redis} or {@code hostsync}
     * @param entries how many entries to put
     * @return the filled map
     */
    static MapUnderTest create(String contender, int entries) {
        MapUnderTest map = switch (contender) {
            case "concurrentHashMap" -> new Local(entries);
            case "chronicleMap" -> Chronicle.create(entries);
            case "redis" -> Redis.create(entries);
            case "hostsync" -> new Hostsync(entries, Regions.uniqueName(), true);
            default -> throw new IllegalArgumentException("Unknown map contender " + contender);
        };
        try {
            map.fill();
            return map;
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /**
     * Joins a map that a benchmark created, in a partner process.
     *
     * @param arguments what {@link #joinArguments()} gave the benchmark
     * @return the joined map; closing it leaves the files
     */
    static MapUnderTest join(List<String> arguments) {
        int entries = Integer.parseInt(arguments.get(1));
        return switch (arguments.get(0)) {
            case "chronicleMap" -> new Chronicle(entries, Path.of(arguments.get(2)), false);
            case "hostsync" -> new Hostsync(entries, arguments.get(2), false);
            default -> throw new IllegalArgumentException("A partner cannot join map contender " + arguments.get(0));
        };
    }

    void fill() {
        for (int i = 0; i < entries; i++) {
            put(key(i), value(i));
        }
    }

    /** {@link ConcurrentHashMap}, in this JVM only; byte arrays wrapped so that they compare by content. */
    static final class Local extends MapUnderTest {

        private final ConcurrentMap<Key, byte[]> map;

        Local(int entries) {
            super(entries);
            this.map = new ConcurrentHashMap<>(entries * 2);
        }

        @Override
        byte[] get(byte[] key) {
            return map.get(new Key(key));
        }

        @Override
        void put(byte[] key, byte[] value) {
            map.put(new Key(key), value);
        }

        @Override
        List<String> joinArguments() {
            return null;
        }

        @Override
        public void close() {
            map.clear();
        }

        /** A key as users of a JVM map would write it: an array with content equality. */
        private record Key(byte[] bytes) {
            @Override
            public boolean equals(Object other) {
                return other instanceof Key key && java.util.Arrays.equals(bytes, key.bytes);
            }

            @Override
            public int hashCode() {
                return java.util.Arrays.hashCode(bytes);
            }
        }
    }

    /** hostsync's {@link SharedMap} in a region of its own, shared by processes. */
    static final class Hostsync extends MapUnderTest {

        /** Room for the map's table (about 130 bytes an entry here) and the region's own areas. */
        private static final long REGION_BYTES = 512L * 1024 * 1024;

        private final SharedRegion region;
        private final SharedMap<byte[], byte[]> map;
        private final boolean owner;

        Hostsync(int entries, String regionName, boolean owner) {
            super(entries);
            this.owner = owner;
            this.region = SharedRegion.open(RegionOptions.builder(regionName).size(REGION_BYTES).build());
            try {
                this.map = region.state().map("bench", Codecs.bytes(), Codecs.bytes(),
                        MapCapacity.of(entries + entries / 10, KEY_BYTES + VALUE_BYTES));
            } catch (RuntimeException e) {
                region.close();
                throw e;
            }
        }

        @Override
        byte[] get(byte[] key) {
            return map.get(key);
        }

        @Override
        void put(byte[] key, byte[] value) {
            map.put(key, value);
        }

        @Override
        void set(byte[] key, byte[] value) {
            map.set(key, value);
        }

        @Override
        List<String> joinArguments() {
            return List.of("hostsync", Integer.toString(entries), region.name());
        }

        @Override
        public void close() {
            if (owner) {
                Regions.closeAndDelete(region);
            } else {
                region.close();
            }
        }
    }

    /** Chronicle Map persisted to a file in {@code /dev/shm}, shared by processes. */
    static final class Chronicle extends MapUnderTest {

        private final ChronicleMap<byte[], byte[]> map;
        private final Path file;
        private final boolean owner;

        Chronicle(int entries, Path file, boolean owner) {
            super(entries);
            this.file = file;
            this.owner = owner;
            try {
                this.map = ChronicleMap.of(byte[].class, byte[].class)
                        .name("hostsync-bench")
                        .entries(entries + entries / 10)
                        .constantKeySizeBySample(new byte[KEY_BYTES])
                        .constantValueSizeBySample(new byte[VALUE_BYTES])
                        .createPersistedTo(file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create or open the Chronicle Map " + file, e);
            }
        }

        static Chronicle create(int entries) {
            return new Chronicle(entries, Path.of("/dev/shm", "bench-" + Channel.random() + ".chronicle"), true);
        }

        @Override
        byte[] get(byte[] key) {
            return map.get(key);
        }

        @Override
        void put(byte[] key, byte[] value) {
            map.put(key, value);
        }

        @Override
        List<String> joinArguments() {
            return List.of("chronicleMap", Integer.toString(entries), file.toString());
        }

        @Override
        public void close() {
            map.close();
            if (owner) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** A Redis hash on a local {@code redis-server}, through Redisson. */
    static final class Redis extends MapUnderTest {

        private static final int FILL_BATCH = 10_000;

        private final RedisServer server;
        private final RedissonClient client;
        private final RMap<byte[], byte[]> map;

        private Redis(int entries, RedisServer server) {
            super(entries);
            this.server = server;
            Config config = new Config();
            config.setCodec(ByteArrayCodec.INSTANCE);
            config.useSingleServer().setAddress("redis://127.0.0.1:" + server.port());
            this.client = Redisson.create(config);
            this.map = client.getMap("hostsync-bench");
        }

        static Redis create(int entries) {
            RedisServer server = RedisServer.start();
            try {
                return new Redis(entries, server);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }

        @Override
        void fill() {
            Map<byte[], byte[]> batch = new HashMap<>();
            for (int i = 0; i < entries; i++) {
                batch.put(key(i), value(i));
                if (batch.size() == FILL_BATCH || i == entries - 1) {
                    map.putAll(batch);
                    batch.clear();
                }
            }
        }

        @Override
        byte[] get(byte[] key) {
            return map.get(key);
        }

        @Override
        void put(byte[] key, byte[] value) {
            map.fastPut(key, value);
        }

        @Override
        List<String> joinArguments() {
            return null;
        }

        @Override
        public void close() {
            try {
                client.shutdown();
            } finally {
                server.close();
            }
        }
    }
}

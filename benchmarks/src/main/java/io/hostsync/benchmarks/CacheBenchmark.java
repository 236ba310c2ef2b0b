package io.hostsync.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.cache.HostsyncCache;
import io.hostsync.autoconfigure.cache.JavaSerializationCodec;
import io.hostsync.state.Codec;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedCache;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cache.Cache;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A cache hit through Spring's {@link Cache} abstraction (what {@code @Cacheable} calls), issue 18:
 * hostsync's {@link HostsyncCache} over a region in {@code /dev/shm}, with the default Java
 * serialization of values ({@code hostsync}) and with a UTF-8 codec ({@code hostsyncUtf8}, the
 * engine without serialization); Caffeine in one JVM through Spring's {@link CaffeineCache}; and
 * Spring Data Redis caching (Lettuce, JDK serialization, Spring's defaults) on a local
 * {@code redis-server}. 10,000 entries, 16-byte keys and 64-character string values; each call is
 * a {@code get} of a random cached key, the value read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class CacheBenchmark {

    /** Entries cached. */
    static final int ENTRIES = 10_000;

    /** The cache under test. */
    @Param({ "hostsync", "hostsyncUtf8", "caffeine", "redis" })
    public String contender;

    private Cache cache;
    private SharedRegion region;
    private RedisServer redis;
    private LettuceConnectionFactory connections;
    private String[] keys;
    private long random = System.nanoTime() | 1;

    /** Creates and fills the cache. */
    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        keys = new String[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            keys[i] = String.format("quote-%010d", i);
        }
        switch (contender) {
            case "hostsync", "hostsyncUtf8" -> {
                region = SharedRegion.open(RegionOptions.builder(Regions.uniqueName()).size(64L << 20).build());
                Codec<Object> codec = contender.equals("hostsync")
                        ? new JavaSerializationCodec("quotes", CacheBenchmark.class.getClassLoader())
                        : (Codec<Object>) (Codec<?>) new Utf8();
                SharedCache<String, Object> shared = region.state().cache("quotes", new Utf8Keys(), codec,
                        MapCapacity.of(ENTRIES * 2, 128));
                cache = new HostsyncCache("quotes", shared, region, null, true);
            }
            case "caffeine" -> cache = new CaffeineCache("quotes",
                    Caffeine.newBuilder().maximumSize(ENTRIES * 2).build());
            case "redis" -> {
                redis = RedisServer.start();
                connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
                connections.afterPropertiesSet();
                connections.start();
                RedisCacheManager manager = RedisCacheManager.builder(connections)
                        .cacheDefaults(RedisCacheConfiguration.defaultCacheConfig().entryTtl(Duration.ZERO))
                        .build();
                manager.afterPropertiesSet();
                cache = manager.getCache("quotes");
            }
            default -> throw new IllegalArgumentException(contender);
        }
        for (String key : keys) {
            cache.put(key, value(key));
        }
    }

    /** Closes what the trial opened. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (region != null) {
            RegionOptions options = region.options();
            region.close();
            SharedRegion.delete(options);
        }
        if (connections != null) {
            connections.destroy();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** @return the value of a random cached key, read through Spring's Cache */
    @Benchmark
    public Object hit() {
        random ^= random << 13;
        random ^= random >>> 7;
        random ^= random << 17;
        Cache.ValueWrapper value = cache.get(keys[(int) ((random >>> 1) % ENTRIES)]);
        return value.get();
    }

    static String value(String key) {
        return (key + ":" + "131.25;131.30;131.20;").substring(0, 16)
                + "0123456789abcdef0123456789abcdef0123456789abcdef";
    }

    /** Keys as UTF-8. */
    static final class Utf8Keys implements Codec<String> {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** String values as UTF-8: the engine's cost without Java serialization. */
    static final class Utf8 implements Codec<Object> {
        @Override
        public byte[] encode(Object value) {
            return value.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Object decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}

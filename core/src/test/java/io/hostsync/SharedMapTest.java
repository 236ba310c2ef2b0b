package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.internal.region.RegionLayout;
import io.hostsync.state.Codec;
import io.hostsync.state.Codecs;
import io.hostsync.state.EntryInfo;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.MapStatistics;
import io.hostsync.state.SharedMap;
import io.hostsync.state.SharedState;
import io.hostsync.testing.TestRegions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SharedMap within one JVM: the ConcurrentMap contract, its capacity and its refusals. */
class SharedMapTest {

    private static final long SEED = Long.getLong("hostsync.map.seed", System.nanoTime());

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    private SharedRegion region;
    private SharedState state;
    private SharedMap<String, Long> map;

    @BeforeEach
    void open() {
        region = SharedRegion.open(regions.options("map").size(8 << 20).build());
        state = region.state();
        map = state.map("sessions", Codecs.utf8(), longs(), MapCapacity.of(1000, 24));
    }

    @AfterEach
    void close() {
        region.close();
    }

    @Test
    void anInstalledRecorderIsToldOfEachOperationAndWhetherTheKeyHadAValue() {
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        state.recordMapOperations(name -> (operation, hit) -> told.add(name + " " + operation.tag() + " " + hit));
        map.get("a");
        map.put("a", 1L);
        map.put("a", 2L);
        map.putIfAbsent("a", 3L);
        map.containsKey("a");
        map.merge("a", 1L, Long::sum);
        map.compute("b", (k, v) -> 5L);
        map.computeIfPresent("c", (k, v) -> v + 1);
        map.computeIfAbsent("c", k -> 7L);
        map.replace("c", 8L);
        map.replace("c", 9L, 10L);
        map.remove("b", 6L);
        map.remove("b");
        assertThat(told).containsExactly("sessions get false", "sessions put false", "sessions put true",
                "sessions put-if-absent true", "sessions get true", "sessions merge true", "sessions compute false",
                "sessions compute-if-present false", "sessions compute-if-absent false", "sessions replace true",
                "sessions replace true", "sessions remove true", "sessions remove true");
        told.clear();
        SharedMap<String, String> later = state.map("later", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(100, 16));
        later.put("x", "y");
        assertThatThrownBy(() -> map.compute("a", (k, v) -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(told).as("a map asked for later gets its recorder; an operation that threw is not told")
                .containsExactly("later put false");
        state.recordMapOperations(null);
        map.get("a");
        later.get("x");
        assertThat(told).as("uninstalled").hasSize(1);
    }

    @Test
    void setStoresLikePutWithoutGivingThePreviousValueBack() {
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        state.recordMapOperations(name -> (operation, hit) -> told.add(operation.tag() + " " + hit));
        map.set("a", 1L);
        map.set("a", 22L); // another size: a new record, the old one freed
        map.set("b", 3L);
        assertThat(told).containsExactly("put false", "put true", "put false");
        assertThat(map).containsOnly(Map.entry("a", 22L), Map.entry("b", 3L));
        assertThatThrownBy(() -> map.compute("a", (k, v) -> {
            map.set("c", 1L);
            return v;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("do not change it from inside a function");
        assertThat(map.verify()).isEmpty();
    }

    @Test
    void putGetAndRemoveBehaveAsAMap() {
        assertThat(map).isEmpty();
        assertThat(map.put("a", 1L)).isNull();
        assertThat(map.put("a", 2L)).isEqualTo(1L);
        assertThat(map.put("b", 3L)).isNull();
        assertThat(map.get("a")).isEqualTo(2L);
        assertThat(map.get("missing")).isNull();
        assertThat(map.containsKey("b")).isTrue();
        assertThat(map.containsKey("missing")).isFalse();
        assertThat(map.containsValue(3L)).isTrue();
        assertThat(map).hasSize(2);
        assertThat(map.remove("a")).isEqualTo(2L);
        assertThat(map.remove("a")).isNull();
        assertThat(map).containsOnly(Map.entry("b", 3L));
        assertThat(map.getOrDefault("a", 9L)).isEqualTo(9L);
    }

    @Test
    void conditionalOperationsChangeOnlyWhenTheirConditionHolds() {
        assertThat(map.putIfAbsent("a", 1L)).isNull();
        assertThat(map.putIfAbsent("a", 2L)).isEqualTo(1L);
        assertThat(map.replace("missing", 5L)).isNull();
        assertThat(map.containsKey("missing")).isFalse();
        assertThat(map.replace("a", 3L)).isEqualTo(1L);
        assertThat(map.replace("a", 1L, 4L)).as("not the current value").isFalse();
        assertThat(map.replace("a", 3L, 4L)).isTrue();
        assertThat(map.remove("a", 3L)).isFalse();
        assertThat(map.remove("a", null)).isFalse();
        assertThat(map.get("a")).isEqualTo(4L);
        assertThat(map.remove("a", 4L)).isTrue();
        assertThat(map).isEmpty();
    }

    @Test
    void computeFunctionsFollowTheMapContract() {
        assertThat(map.computeIfAbsent("a", key -> 1L)).isEqualTo(1L);
        assertThat(map.computeIfAbsent("a", key -> {
            throw new AssertionError("not called for a present key");
        })).isEqualTo(1L);
        assertThat(map.computeIfAbsent("b", key -> null)).isNull();
        assertThat(map.containsKey("b")).isFalse();
        assertThat(map.computeIfPresent("b", (key, old) -> 5L)).isNull();
        assertThat(map.containsKey("b")).isFalse();
        assertThat(map.computeIfPresent("a", (key, old) -> old + 1)).isEqualTo(2L);
        assertThat(map.computeIfPresent("a", (key, old) -> null)).isNull();
        assertThat(map.containsKey("a")).isFalse();
        assertThat(map.compute("c", (key, old) -> old == null ? 10L : old + 1)).isEqualTo(10L);
        assertThat(map.compute("c", (key, old) -> old == null ? 10L : old + 1)).isEqualTo(11L);
        assertThat(map.compute("c", (key, old) -> null)).isNull();
        assertThat(map.merge("d", 1L, Long::sum)).isEqualTo(1L);
        assertThat(map.merge("d", 1L, Long::sum)).isEqualTo(2L);
        assertThat(map.merge("d", 1L, (old, given) -> null)).isNull();
        assertThat(map).isEmpty();
    }

    @Test
    void aFunctionThatThrowsChangesNothingAndLeavesTheSegmentFree() throws Exception {
        map.put("a", 1L);
        assertThatThrownBy(() -> map.compute("a", (key, old) -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThatThrownBy(() -> map.merge("a", 1L, (old, given) -> {
            throw new IllegalArgumentException("bang");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(map.get("a")).isEqualTo(1L);
        CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> map.merge("a", 1L, Long::sum));
        assertThat(other.get(10, TimeUnit.SECONDS)).as("another thread takes the segment at once").isEqualTo(2L);
        assertThat(map.verify()).isEmpty();
    }

    @Test
    void changingTheMapFromInsideItsOwnFunctionIsRefused() {
        map.put("a", 1L);
        assertThatThrownBy(() -> map.compute("a", (key, old) -> {
            map.put("other-key", 1L);
            return 2L;
        })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "Map 'sessions' of region '" + region.name() + "' is being changed by this thread");
        assertThat(map).containsOnly(Map.entry("a", 1L));
        assertThat(map.compute("a", (key, old) -> old + map.get("a"))).as("reading inside is fine").isEqualTo(2L);
    }

    @Test
    void nullKeysAndValuesAreRefused() {
        assertThatThrownBy(() -> map.put(null, 1L)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> map.put("a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> map.get(null)).isInstanceOf(NullPointerException.class);
        assertThat(map).isEmpty();
    }

    @Test
    void iterationSeesEveryEntryAndWritesThrough() {
        Map<String, Long> expected = new HashMap<>();
        for (long i = 0; i < 300; i++) {
            map.put("key-" + i, i);
            expected.put("key-" + i, i);
        }
        assertThat(new HashMap<>(map)).isEqualTo(expected);
        assertThat(map).isEqualTo(expected);
        assertThat(expected).isEqualTo(map);
        assertThat(map.hashCode()).isEqualTo(expected.hashCode());
        assertThat(map.keySet()).isEqualTo(expected.keySet());
        assertThat(new ArrayList<>(map.values())).containsExactlyInAnyOrderElementsOf(expected.values());

        for (Iterator<Map.Entry<String, Long>> entries = map.entrySet().iterator(); entries.hasNext();) {
            Map.Entry<String, Long> entry = entries.next();
            if (entry.getValue() % 2 == 0) {
                entries.remove();
            } else {
                entry.setValue(-entry.getValue());
            }
        }
        assertThat(map).hasSize(150).allSatisfy((key, value) -> assertThat(value).isNegative());
        assertThat(map.keySet().remove("key-1")).isTrue();
        assertThat(map.entrySet().remove(Map.entry("key-3", -3L))).isTrue();
        assertThat(map.entrySet().contains(Map.entry("key-5", -5L))).isTrue();
        assertThat(map).hasSize(148).doesNotContainKeys("key-1", "key-3");
        map.keySet().clear();
        assertThat(map).isEmpty();
        assertThat(map.verify()).isEmpty();
    }

    @Test
    void randomOperationsAgreeWithAHashMapAndKeepTheTableConsistent() {
        Random random = new Random(SEED);
        Map<String, Long> model = new HashMap<>();
        SharedMap<String, String> sized = state.map("sized", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(600, 40));
        Map<String, String> sizedModel = new HashMap<>();
        for (int op = 0; op < 40_000; op++) {
            String key = "k" + random.nextInt(500);
            long value = random.nextInt(1000);
            switch (random.nextInt(6)) {
                case 0 -> assertThat(map.put(key, value)).isEqualTo(model.put(key, value));
                case 1 -> assertThat(map.remove(key)).isEqualTo(model.remove(key));
                case 2 -> assertThat(map.merge(key, value, Long::sum)).isEqualTo(model.merge(key, value, Long::sum));
                case 3 -> assertThat(map.putIfAbsent(key, value)).isEqualTo(model.putIfAbsent(key, value));
                case 4 -> assertThat(map.get(key)).isEqualTo(model.get(key));
                default -> {
                    // values whose size changes at every put: the freed chunks must be reused
                    String text = "v".repeat(random.nextInt(60));
                    assertThat(sized.put(key, text)).isEqualTo(sizedModel.put(key, text));
                    if (random.nextInt(3) == 0) {
                        assertThat(sized.remove(key)).isEqualTo(sizedModel.remove(key));
                    }
                }
            }
        }
        assertThat(map).as("seed %d", SEED).isEqualTo(model);
        assertThat(sized).as("seed %d", SEED).isEqualTo(sizedModel);
        assertThat(map.verify()).as("seed %d", SEED).isEmpty();
        assertThat(sized.verify()).as("seed %d", SEED).isEmpty();
    }

    @Test
    void threadsMergingConcurrentlyLoseNoIncrement() throws Exception {
        int threads = 4;
        int each = 5_000;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    map.merge("counter-" + (i % 16), 1L, Long::sum);
                    map.get("counter-" + (i % 7));
                }
            });
            thread.start();
            workers.add(thread);
        }
        for (Thread thread : workers) {
            thread.join();
        }
        assertThat(map.values().stream().mapToLong(Long::longValue).sum()).isEqualTo((long) threads * each);
        assertThat(map.verify()).isEmpty();
    }

    @Test
    void aFullMapRefusesThePutWithRegionFullExceptionAndChangesNothing() {
        SharedMap<String, String> small = state.map("small", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(4, 16));
        Map<String, String> stored = new HashMap<>();
        RegionFullException refused = null;
        for (int i = 0; i < 1000 && refused == null; i++) {
            try {
                small.put("key-" + i, "value-" + i);
                stored.put("key-" + i, "value-" + i);
            } catch (RegionFullException e) {
                refused = e;
            }
        }
        assertThat(refused).as("a map of capacity 4 does not take 1000 entries").isNotNull();
        assertThat(refused).hasMessageContaining("Map 'small' of region '" + region.name() + "'")
                .hasMessageContaining(region.file().toString())
                .hasMessageContaining("is full")
                .hasMessageContaining("capacity 4 entries of 16 bytes")
                .hasMessageContaining("Nothing was written");
        assertThat(stored.size()).as("the headroom lets a little more in than asked").isGreaterThanOrEqualTo(4);
        assertThat(small).isEqualTo(stored);
        assertThat(small.verify()).isEmpty();
        String some = stored.keySet().iterator().next();
        small.remove(some);
        small.put("after-a-remove", "fits");
        assertThat(small.get("after-a-remove")).isEqualTo("fits");
    }

    @Test
    void aValueLongerThanTheWholeDataAreaIsRefusedAsTooLarge() {
        SharedMap<String, String> small = state.map("tiny", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(1, 8));
        small.put("kept", "yes");
        assertThatThrownBy(() -> small.put("big", "x".repeat(100_000))).isInstanceOf(ValueTooLargeException.class)
                .hasMessageContaining("Map 'tiny'")
                .hasMessageContaining("Nothing was written");
        assertThat(small).containsOnly(Map.entry("kept", "yes"));
    }

    @Test
    void keysAreEqualWhenTheirEncodedBytesAre() {
        Codec<String> caseless = new Codec<>() {
            @Override
            public byte[] encode(String value) {
                return value.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
        SharedMap<String, Long> byBytes = state.map("caseless", caseless, longs(), MapCapacity.of(10, 16));
        byBytes.put("Apple", 1L);
        assertThat(byBytes.put("APPLE", 2L)).isEqualTo(1L);
        assertThat(byBytes).containsOnly(Map.entry("apple", 2L));
    }

    @Test
    void anotherHandleOnTheSameRegionSeesTheSameEntries() {
        map.put("shared", 7L);
        try (SharedRegion second = SharedRegion.open(regions.options("map").size(8 << 20).build())) {
            SharedMap<String, Long> again = second.state().map("sessions", Codecs.utf8(), longs(),
                    MapCapacity.of(1000, 24));
            assertThat(again.get("shared")).isEqualTo(7L);
        }
    }

    @Test
    void everyMapsFiguresAreReadWithoutItsCodecs() {
        map.put("a", 1L);
        map.put("b", 2L);
        state.map("other", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(5000, 40)).put("x", "y");
        assertThat(state.mapStatistics()).extracting(MapStatistics::name).containsExactly("sessions", "other");
        MapStatistics sessions = state.mapStatistics("sessions");
        assertThat(sessions.size()).isEqualTo(2);
        assertThat(sessions.capacity()).isEqualTo(MapCapacity.of(1000, 24));
        assertThat(sessions.segments()).isOne();
        assertThat(sessions.recoveries()).isZero();
        assertThat(state.mapStatistics("other").segments()).isEqualTo(8);
        assertThat(state.mapStatistics("missing")).isNull();
    }

    @Test
    void openingAMapWithAnotherCapacityIsRefusedNamingBoth() {
        assertThatThrownBy(() -> state.map("sessions", Codecs.utf8(), longs(), MapCapacity.of(2000, 24)))
                .isInstanceOf(EntryMismatchException.class)
                .hasMessageContaining("exists as a map of 1000 entries of 24 bytes on average")
                .hasMessageContaining("asked for a map of 2000 entries of 24 bytes on average");
    }

    @Test
    void aMapInTheOldEncodedFormatIsRefusedWithAClearMessage() throws Exception {
        state.value("legacy", Codecs.utf8(), 256).set("{}");
        EntryInfo entry = state.entries().stream().filter(e -> e.name().equals("legacy")).findFirst().orElseThrow();
        int index = state.entries().indexOf(entry);
        CorruptedRegionTest.writeInt(region.file(), RegionLayout.entryOffset(region.header(), index)
                + RegionLayout.ENTRY_TYPE_OFFSET, 8); // what SharedMap wrote before it became a hash table
        try (SharedRegion reopened = SharedRegion.open(regions.options("map").size(8 << 20).build())) {
            assertThatThrownBy(
                    () -> reopened.state().map("legacy", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(10, 16)))
                    .isInstanceOf(EntryMismatchException.class)
                    .hasMessageContaining("Entry 'legacy'")
                    .hasMessageContaining("encoded format of hostsync before SharedMap became a hash table")
                    .hasMessageContaining("delete the region, or use another name");
        }
    }

    @Test
    void capacitiesOutOfRangeAreRefusedWithTheValue() {
        assertThatThrownBy(() -> MapCapacity.of(0, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity of 0 entries");
        assertThatThrownBy(() -> MapCapacity.of(10, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("average entry size of 0 bytes");
        assertThatThrownBy(() -> state.map("huge", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(50_000_000, 64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than the largest region");
        assertThatThrownBy(() -> state.map("too-big-here", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(1_000_000, 80)))
                .isInstanceOf(RegionFullException.class).hasMessageContaining("no room for entry 'too-big-here'");
    }

    @Test
    void aMillionEntriesOfSixteenByteKeysAndSixtyFourByteValuesFitAFewHundredMegabytes() {
        RegionOptions options = regions.options("million").size(256L << 20).build();
        Codec<byte[]> raw = Codecs.bytes();
        int entries = 1_000_000;
        long created;
        try (SharedRegion big = SharedRegion.open(options)) {
            long start = System.nanoTime();
            SharedMap<byte[], byte[]> million = big.state().map("million", raw, raw, MapCapacity.of(entries, 80));
            created = System.nanoTime() - start;
            byte[] value = new byte[64];
            long puts = System.nanoTime();
            for (int i = 0; i < entries; i++) {
                ByteBuffer.wrap(value).putInt(0, i);
                million.put(key(i), value);
            }
            puts = System.nanoTime() - puts;
            assertThat(million).hasSize(entries);
            long gets = System.nanoTime();
            for (int i = 0; i < entries; i++) {
                byte[] got = million.get(key(i));
                if (got == null || ByteBuffer.wrap(got).getInt(0) != i) {
                    throw new AssertionError(
                            "entry " + i + " reads back as " + (got == null ? null : ByteBuffer.wrap(got).getInt(0)));
                }
            }
            gets = System.nanoTime() - gets;
            assertThat(million.get(key(entries))).isNull();
            System.out.printf(
                    "SharedMapTest: 1,000,000 entries (16 + 64 bytes) in a region of %d MB: created in %.1f ms,"
                            + " %.0f ns per put, %.0f ns per get (one thread, including encoding)%n",
                    options.size() >> 20,
                    created / 1e6, (double) puts / entries, (double) gets / entries);
        }
        try (SharedRegion reopened = SharedRegion.open(options)) {
            long start = System.nanoTime();
            SharedMap<byte[], byte[]> million = reopened.state().map("million", raw, raw, MapCapacity.of(entries, 80));
            long opened = System.nanoTime() - start;
            assertThat(ByteBuffer.wrap(million.get(key(123_456))).getInt(0)).isEqualTo(123_456);
            System.out.printf("SharedMapTest: reopened the million-entry map in %.2f ms%n", opened / 1e6);
        }
    }

    private static byte[] key(int i) {
        return ByteBuffer.allocate(16).putLong(0, i * 0x9E3779B97F4A7C15L).putLong(8, i).array();
    }

    static Codec<Long> longs() {
        return new Codec<>() {
            @Override
            public byte[] encode(Long value) {
                return ByteBuffer.allocate(8).putLong(value).array();
            }

            @Override
            public Long decode(byte[] bytes) {
                return ByteBuffer.wrap(bytes).getLong();
            }
        };
    }
}

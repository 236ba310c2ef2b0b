package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.internal.table.TableLayout;
import io.hostsync.internal.table.TableLayout.Geometry;
import io.hostsync.state.Codecs;
import io.hostsync.state.EntryInfo;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedMap;
import io.hostsync.testing.TestRegions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The map's bytes are not trusted: seeded damage (random bytes, bit flips, values such as -1 or
 * 0x7ffffff0 at word boundaries) to a map's table header, segment header, intent, buckets, bitmap
 * and records, followed by every kind of operation. Each operation must work or fail with a
 * {@link RegionFormatException} naming the file: never an exception from the buffer, an
 * allocation of a stored length, or a hang. {@code -Dhostsync.fuzz.seed=<seed>} replays a run.
 */
class MapCorruptionFuzzTest {

    private static final MapCapacity CAPACITY = MapCapacity.of(40, 24);
    private static final long[] TARGETED = { 0, 1, -1, 7, 8, 63, 64, 255, 256, 4096, 0x7ffffff0, Integer.MAX_VALUE,
            Integer.MIN_VALUE, 0xFFFF_FFFFL, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, (1L << 32) | 1 };

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void damagedMapsWorkOrAreRefusedNamingTheFileNeverAnythingElse() throws Exception {
        long seed = Long.getLong("hostsync.fuzz.seed", CorruptionFuzzTest.DEFAULT_SEED);
        int trials = Integer.getInteger("hostsync.fuzz.map-trials", 300);
        Geometry geometry = TableLayout.geometry(CAPACITY.entries(), CAPACITY.averageEntryBytes());
        RegionOptions options = regions.options("map-fuzz").build();
        List<String> failures = new ArrayList<>();
        int refused = 0;
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "map-fuzz-trial");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int trial = 0; trial < trials; trial++) {
                SharedRegion.delete(options);
                long block;
                try (SharedRegion region = SharedRegion.open(options)) {
                    SharedMap<String, String> map = region.state().map("prices", Codecs.utf8(), Codecs.utf8(),
                            CAPACITY);
                    for (int i = 0; i < 30; i++) {
                        map.put("key-" + i, "value-" + "x".repeat(i % 20));
                    }
                    map.remove("key-3");
                    block = region.state().entries().stream().filter(e -> e.name().equals("prices"))
                            .mapToLong(EntryInfo::blockOffset).findFirst().orElseThrow();
                }
                SplittableRandom random = new SplittableRandom(seed + trial * 0x9E3779B97F4A7C15L);
                String damage = corrupt(options, block, geometry, random);
                Future<String> outcome = executor.submit(() -> use(options));
                String result;
                try {
                    result = outcome.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    failures.add("trial " + trial + " (" + damage + "): no answer within 20 s");
                    break; // the trial thread is stuck: later trials would queue behind it
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable thrown = e.getCause();
                    if (thrown instanceof RegionFormatException
                            && thrown.getMessage().contains(options.file().toString())) {
                        refused++;
                        continue;
                    }
                    StringWriter trace = new StringWriter();
                    thrown.printStackTrace(new PrintWriter(trace));
                    failures.add("trial " + trial + " (" + damage + "): " + trace.toString().lines().limit(8)
                            .reduce((a, b) -> a + " | " + b).orElse(""));
                    continue;
                }
                assertThat(result).isEqualTo("ok");
            }
        } finally {
            executor.shutdownNow();
        }
        System.out.println("MapCorruptionFuzzTest: seed " + seed + ", " + trials + " trials, " + refused + " refused, "
                + failures.size() + " failed");
        assertThat(failures)
                .as("seed %d: trials that threw something else than a RegionFormatException naming the file,"
                        + " or hung", seed)
                .isEmpty();
        assertThat(refused).as("some damage is noticed").isPositive();
    }

    private static String use(RegionOptions options) {
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedMap<String, String> map = region.state().map("prices", Codecs.utf8(), Codecs.utf8(), CAPACITY);
            for (int i = 0; i < 32; i++) {
                map.get("key-" + i);
            }
            map.size();
            new ArrayList<>(map.entrySet());
            map.put("key-1", "changed");
            map.remove("key-2");
            map.merge("key-40", "new", String::concat);
            map.putIfAbsent("key-41", "y".repeat(30));
            map.verify();
            map.clear();
            map.put("after-clear", "works");
        }
        return "ok";
    }

    private static String corrupt(RegionOptions options, long block, Geometry geometry, SplittableRandom random)
            throws Exception {
        int segment = TableLayout.segmentOffset(block, geometry, 0);
        int pick = random.nextInt(100);
        long from;
        long to;
        String target;
        if (pick < 10) {
            target = "table-header";
            from = block;
            to = block + TableLayout.TABLE_HEADER_LENGTH;
        } else if (pick < 30) {
            target = "segment-header";
            from = segment + TableLayout.VERSION_OFFSET;
            to = segment + TableLayout.BUCKETS_OFFSET;
        } else if (pick < 55) {
            target = "buckets";
            from = segment + TableLayout.BUCKETS_OFFSET;
            to = segment + geometry.bitmapOffset();
        } else if (pick < 65) {
            target = "bitmap";
            from = segment + geometry.bitmapOffset();
            to = segment + geometry.dataOffset();
        } else {
            target = "records";
            from = segment + geometry.dataOffset();
            to = from + 30L * 40;
        }
        try (FileChannel channel = FileChannel.open(options.file(), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            int kind = random.nextInt(3);
            if (kind == 0) {
                long at = random.nextLong(from, to);
                byte value = (byte) random.nextInt(256);
                channel.write(ByteBuffer.wrap(new byte[] { value }), at);
                return target + " byte@" + at + "=" + (value & 0xff);
            }
            if (kind == 1) {
                long at = random.nextLong(from, to);
                ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, at);
                int bit = random.nextInt(8);
                channel.write(ByteBuffer.wrap(new byte[] { (byte) (one.get(0) ^ (1 << bit)) }), at);
                return target + " bitflip@" + at + "." + bit;
            }
            boolean wide = random.nextBoolean();
            long at = random.nextLong(from, to) & ~(wide ? 7L : 3L);
            long value = TARGETED[random.nextInt(TARGETED.length)];
            ByteBuffer bytes = wide ? ByteBuffer.allocate(8).order(io.hostsync.internal.region.RegionLayout.BYTE_ORDER)
                    .putLong(0, value)
                    : ByteBuffer.allocate(4).order(io.hostsync.internal.region.RegionLayout.BYTE_ORDER)
                            .putInt(0, (int) value);
            channel.write(bytes, at);
            return target + " " + (wide ? "long" : "int") + "@" + at + "=" + value;
        }
    }
}

package io.hostsync;

import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.internal.table.TableLayout;
import io.hostsync.internal.table.TableLayout.Geometry;
import io.hostsync.state.Codecs;
import io.hostsync.state.EntryInfo;
import io.hostsync.state.SharedLongArray;
import io.hostsync.state.SharedMap;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import io.hostsync.testing.Root;
import io.hostsync.testing.TestRegions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SharedMap between real JVMs: exact sums from mixed operations of four processes, and writers
 * killed with SIGKILL at random instants and, deterministically, at each step of a put and a
 * remove. Afterwards no acknowledged write is lost, no reader ever saw a value that was not
 * written whole, every segment can be taken again, the structure is consistent, and the other
 * writers never stopped.
 */
class SharedMapAcrossProcessesTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final long SEED = Long.getLong("hostsync.kill.seed", System.nanoTime());
    private static final int WRITER_THREADS = 2;

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void fourJvmsWithThreeThreadsEachMixingEveryOperationLoseNoIncrement() {
        RegionOptions options = regions.options("map-mix").build();
        int jvms = 4;
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedMap<String, Long> map = region.state().map("mixed", Codecs.utf8(), StateWorker.paddedLongs(),
                    StateWorker.MIXED_CAPACITY);
            List<JvmProcess> workers = new ArrayList<>();
            try {
                for (int id = 0; id < jvms; id++) {
                    workers.add(StateWorker.start(options, "map-mix", String.valueOf(id), "3", "3000"));
                }
                workers.forEach(worker -> worker.send("go"));
                long increments = 0;
                for (JvmProcess worker : workers) {
                    Map<String, String> done = Lines.fields(worker.expect("DONE", TIMEOUT));
                    assertThat(done.get("failures")).as("operations that threw in a worker: %s", done.get("first"))
                            .isEqualTo("0");
                    increments += Long.parseLong(done.get("increments"));
                }
                long sum = map.values().stream().mapToLong(Long::longValue).sum();
                assertThat(sum).as("the values add up to the increments the workers were told succeeded")
                        .isEqualTo(increments);
                assertThat(increments).isPositive();
                assertThat(map.verify()).isEmpty();
            } finally {
                workers.forEach(JvmProcess::close);
            }
        }
    }

    @Test
    void writersKilledAtRandomMomentsLoseNoAcknowledgedWriteAndNeverStopTheOthers() throws Exception {
        Root.require();
        RegionOptions options = regions.options("map-kill").build();
        Random random = new Random(SEED);
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedMap<String, String> records = region.state().map("records", Codecs.utf8(), Codecs.utf8(),
                    StateWorker.RECORDS_CAPACITY);
            SharedLongArray acks = region.state().longArray("acks", StateWorker.ACKS);
            AtomicLong reads = new AtomicLong();
            AtomicLong torn = new AtomicLong();
            AtomicReference<String> example = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (Map.Entry<String, String> entry : records.entrySet()) {
                        String again = records.get(entry.getKey());
                        for (String value : new String[] { entry.getValue(), again }) {
                            reads.incrementAndGet();
                            if (value != null && !StateWorker.wholeRecord(value)) {
                                torn.incrementAndGet();
                                example.compareAndSet(null, value);
                            }
                        }
                    }
                }
            });
            reader.start();
            List<JvmProcess> survivors = List.of(
                    StateWorker.start(options, "map-writer", "0", String.valueOf(WRITER_THREADS)),
                    StateWorker.startInPidNamespace(options, "map-writer", "1", String.valueOf(WRITER_THREADS)));
            try {
                survivors.forEach(survivor -> survivor.send("go"));
                int kills = 6;
                for (int kill = 0; kill < kills; kill++) {
                    int id = 2 + kill;
                    try (JvmProcess victim = kill % 2 == 0
                            ? StateWorker.start(options, "map-writer", String.valueOf(id),
                                    String.valueOf(WRITER_THREADS))
                            : StateWorker.startInPidNamespace(options, "map-writer", String.valueOf(id),
                                    String.valueOf(WRITER_THREADS))) {
                        victim.send("go");
                        awaitAcks(acks, id, kill);
                        Thread.sleep(random.nextInt(100));
                        victim.kill();
                    }
                    long[] before = survivorProgress(acks);
                    for (int thread = 0; thread < WRITER_THREADS; thread++) {
                        long acked = acks.get(id * WRITER_THREADS + thread);
                        String stored = records.get("main-" + id + "-" + thread);
                        assertThat(stored)
                                .as("kill %d (seed %d): thread %d's acknowledged write %d", kill, SEED, thread, acked)
                                .isNotNull();
                        long sequence = Long.parseLong(stored.split(":")[0]);
                        assertThat(sequence)
                                .as("kill %d (seed %d): the last acknowledged write, or the one after it", kill,
                                        SEED)
                                .isBetween(acked, acked + 1);
                    }
                    awaitProgress(acks, before, kill);
                }
            } finally {
                for (JvmProcess survivor : survivors) {
                    survivor.send("stop");
                }
                for (JvmProcess survivor : survivors) {
                    survivor.expect("DONE", TIMEOUT);
                    survivor.close();
                }
                reader.interrupt();
                reader.join();
            }
            CompletableFuture<List<String>> verified = CompletableFuture.supplyAsync(records::verify);
            assertThat(verified.get(30, TimeUnit.SECONDS))
                    .as("every segment can be taken, and is consistent (seed %d)", SEED)
                    .isEmpty();
            assertThat(torn.get()).as("values read that were not whole, of %d (seed %d), e.g. %s", reads.get(), SEED,
                    example.get()).isZero();
            assertThat(reads.get()).isPositive();
            System.out
                    .printf("SharedMapAcrossProcessesTest: seed %d, %d reads, %d operations of killed writers completed"
                            + " by the next writer%n", SEED, reads.get(), records.recoveries());
        }
    }

    /**
     * A writer stopped at a step of an operation, after it recorded its intent, and killed there:
     * the other segments work while it holds its own, and the next writer of its segment completes
     * the operation, by itself.
     */
    @ParameterizedTest(name = "killed at {0} of a {1}")
    @CsvSource({ "put.intent, put", "put.bucket, put", "put.intent, insert", "put.bucket, insert",
            "remove.intent, remove", "remove.shift, remove" })
    void aWriterKilledAfterRecordingItsIntentHasItsOperationCompletedByTheNextWriter(String point, String operation)
            throws Exception {
        RegionOptions options = regions.options("map-pause").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedMap<String, String> map = region.state().map("paused", Codecs.utf8(), Codecs.utf8(),
                    StateWorker.PAUSED_CAPACITY);
            Geometry geometry = TableLayout.geometry(StateWorker.PAUSED_CAPACITY.entries(),
                    StateWorker.PAUSED_CAPACITY.averageEntryBytes());
            List<String> cluster = sameHomeBucket(geometry, 3);
            Map<String, String> expected = new HashMap<>();
            for (String key : cluster) { // in this order: the first sits at the home bucket, the others after it
                map.put(key, "before-" + key);
                expected.put(key, "before-" + key);
            }
            String elsewhere = keyOutsideSegment(geometry, segmentOf(geometry, cluster.get(0)));
            expected.put(elsewhere, "in-another-segment");
            map.put(elsewhere, "in-another-segment");
            String target = operation.equals("insert") ? keyInSegment(geometry, segmentOf(geometry, cluster.get(0)))
                    : cluster.get(0);
            String[] args = operation.equals("remove") ? new String[] { "map-pause", point, "remove", target }
                    : new String[] { "map-pause", point, "put", target, "after" };
            try (JvmProcess writer = StateWorker.start(options, args)) {
                writer.expect("PAUSED " + point, TIMEOUT);
                int segment = TableLayout.segmentOffset(blockOf(region, "paused"), geometry,
                        segmentOf(geometry, target));
                assertThat((int) INTS.getVolatile(region.buffer(), segment + TableLayout.INTENT_KIND_OFFSET))
                        .as("the intent is recorded").isNotZero();
                if (point.endsWith(".bucket") || point.endsWith(".shift")) {
                    assertThat((long) LONGS.getVolatile(region.buffer(), segment + TableLayout.VERSION_OFFSET) & 1)
                            .as("readers are told a writer is inside").isOne();
                }
                assertThat(map.get(elsewhere)).as("another segment is read while this one is held").isEqualTo(
                        "in-another-segment");
                map.put(elsewhere, "written-meanwhile");
                expected.put(elsewhere, "written-meanwhile");
                writer.kill();
            }
            String before = expected.get(target);
            String seen = map.get(target);
            assertThat(seen == null ? "absent" : seen)
                    .as("a read before any writer came: all of the old or all of the new")
                    .isIn(before == null ? "absent" : before, operation.equals("remove") ? "absent" : "after");
            assertThat(map.verify()).as("the next writer of the segment (verify takes it) completes the operation")
                    .isEmpty();
            if (operation.equals("remove")) {
                expected.remove(target);
            } else {
                expected.put(target, "after");
            }
            assertThat(new HashMap<>(map)).as("the dead writer's %s completed, nothing else changed", operation)
                    .isEqualTo(expected);
            for (Map.Entry<String, String> entry : expected.entrySet()) {
                assertThat(map.get(entry.getKey())).as("found by its probe chain: %s", entry.getKey())
                        .isEqualTo(entry.getValue());
            }
            assertThat(map.recoveries()).isOne();
            map.put(target, "and-again");
            assertThat(map.get(target)).isEqualTo("and-again");
        }
    }

    /**
     * The flake of the four-JVM mix, made certain: an iterating reader checked a record, a writer
     * then freed it and wrote another record over its chunks (records are written into free chunks
     * before the segment's version turns odd), and the reader read the key length again, now a run
     * of value bytes. It allocated that many bytes (an OutOfMemoryError killed the worker thread);
     * it must see the change, retry, and return the segment as it was at one moment.
     */
    @Test
    void anIteratorWhoseRecordIsRewrittenUnderItRetriesInsteadOfSizingAnArrayByTheNewBytes() {
        RegionOptions options = regions.options("map-torn").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedMap<String, String> map = region.state().map("torn", Codecs.utf8(), Codecs.utf8(),
                    StateWorker.TORN_CAPACITY);
            map.put("pad", "p".repeat(40)); // chunks 0-6
            map.put("a", "1"); // chunk 7, the record the reader will be reading
            map.remove("pad");
            try (JvmProcess reader = StateWorker.start(options, "map-read-pause", "entries.record")) {
                reader.expect("PAUSED entries.record", TIMEOUT);
                map.clear(); // frees every chunk: the next record starts at chunk 0
                map.put("b", "x".repeat(100)); // chunks 0-13: chunk 7 now holds "xxxx", a key length of 2021161080
                assertThat(Lines.fields(reader.expect("READ", TIMEOUT)).get("entries"))
                        .as("the segment as it was after the put, read again").isEqualTo("b:" + "x".repeat(100));
            }
            assertThat(map.verify()).isEmpty();
        }
    }

    /** Finds keys whose hash gives the same segment and home bucket, so that they sit in one probe chain. */
    private static List<String> sameHomeBucket(Geometry geometry, int count) {
        Map<Long, List<String>> byHome = new HashMap<>();
        for (int candidate = 0;; candidate++) {
            String key = "cluster-" + candidate;
            int tag = tag(key);
            long home = ((long) (tag & (geometry.segments() - 1)) << 32)
                    | ((tag >>> geometry.segmentBits()) & (geometry.buckets() - 1));
            List<String> keys = byHome.computeIfAbsent(home, h -> new ArrayList<>());
            keys.add(key);
            if (keys.size() == count) {
                return keys;
            }
        }
    }

    private static String keyInSegment(Geometry geometry, int segment) {
        for (int candidate = 0;; candidate++) {
            if (segmentOf(geometry, "fresh-" + candidate) == segment) {
                return "fresh-" + candidate;
            }
        }
    }

    private static String keyOutsideSegment(Geometry geometry, int segment) {
        for (int candidate = 0;; candidate++) {
            if (segmentOf(geometry, "other-" + candidate) != segment) {
                return "other-" + candidate;
            }
        }
    }

    private static int segmentOf(Geometry geometry, String key) {
        return tag(key) & (geometry.segments() - 1);
    }

    private static int tag(String key) {
        return (int) (TableLayout.hash(key.getBytes(StandardCharsets.UTF_8)) >>> 32);
    }

    private static long blockOf(SharedRegion region, String name) {
        return region.state().entries().stream().filter(entry -> entry.name().equals(name))
                .mapToLong(EntryInfo::blockOffset).findFirst().orElseThrow();
    }

    private static void awaitAcks(SharedLongArray acks, int id, int kill) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (acks.get(id * WRITER_THREADS) == 0 || acks.get(id * WRITER_THREADS + 1) == 0) {
            assertThat(System.nanoTime()).as("kill %d: the victim started writing", kill).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    private static long[] survivorProgress(SharedLongArray acks) {
        long[] progress = new long[2 * WRITER_THREADS];
        for (int i = 0; i < progress.length; i++) {
            progress[i] = acks.get(i);
        }
        return progress;
    }

    /** Every thread of both survivors acknowledges new writes: nobody is stuck behind the dead. */
    private static void awaitProgress(SharedLongArray acks, long[] before, int kill) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int i = 0; i < before.length; i++) {
            while (acks.get(i) <= before[i]) {
                assertThat(System.nanoTime())
                        .as("kill %d (seed %d): survivor thread %d made progress within 30 s", kill,
                                SEED, i)
                        .isLessThan(deadline);
                Thread.sleep(1);
            }
        }
    }
}

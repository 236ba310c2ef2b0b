package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import io.hostsync.testing.TestRegions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keyed locks across real JVMs: each key excludes holders of every process while keys used once
 * pass through a small table; a holder killed with SIGKILL frees its key (torn if it was
 * writing); a process killed after pinning a key's record and before locking leaks nothing.
 */
class KeyedLockAcrossProcessesTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    /**
     * Three JVMs of two threads: half their operations lock a key used once (200,000 distinct
     * keys through 16 records), half one of 4 shared keys, each guarding a counter written without
     * atomics. At the end every counter sums what the workers acknowledged, no holder ever found
     * another inside, and no record is left pinned.
     */
    @Test
    void eachKeyExcludesEveryProcessWhileDistinctKeysPassThroughTheTable() throws Exception {
        RegionOptions options = regions.options("keyed-across").maxLocks(16).build();
        int hotKeys = 4;
        try (SharedRegion region = SharedRegion.open(options)) {
            List<JvmProcess> workers = new ArrayList<>();
            try {
                for (int id = 0; id < 3; id++) {
                    workers.add(JvmProcess.start(List.of(), KeyedLockWorker.class, options.directory().toString(),
                            options.name(), String.valueOf(id), "16", "mixed", "2", "66667", String.valueOf(hotKeys)));
                }
                workers.forEach(worker -> worker.expect("READY", TIMEOUT));
                workers.forEach(worker -> worker.send("go"));
                long increments = 0;
                long distinct = 0;
                for (JvmProcess worker : workers) {
                    Map<String, String> done = Lines.fields(worker.expect("DONE", TIMEOUT));
                    assertThat(done.get("violations")).as("a holder found another inside its key").isEqualTo("0");
                    increments += Long.parseLong(done.get("increments"));
                    distinct += Long.parseLong(done.get("distinct"));
                }
                ByteBuffer buffer = region.buffer();
                int heap = (int) region.header().heapOffset();
                long counted = 0;
                for (int key = 0; key < hotKeys; key++) {
                    counted += buffer.getLong(heap + KeyedLockWorker.COUNTERS + key * KeyedLockWorker.STRIDE);
                }
                assertThat(counted).as("increments of the shared keys, none lost").isEqualTo(increments);
                assertThat(distinct).as("keys used once").isGreaterThan(90_000);
                assertThat(KeyedLockTest.pinnedRecords(region)).isZero();
                assertThat(region.lockNames()).containsExactly(Names.DEFAULT_LOCK);
            } finally {
                workers.forEach(JvmProcess::close);
            }
        }
    }

    /**
     * The same with keys of 2 KB, stored as digests: the shared keys differ only in their last
     * byte, and each still excludes every process on its own.
     */
    @Test
    void longKeysExcludeEveryProcessThroughTheirDigests() throws Exception {
        RegionOptions options = regions.options("keyed-long").maxLocks(16).build();
        int hotKeys = 4;
        try (SharedRegion region = SharedRegion.open(options)) {
            List<JvmProcess> workers = new ArrayList<>();
            try {
                for (int id = 0; id < 3; id++) {
                    workers.add(JvmProcess.start(List.of(), KeyedLockWorker.class, options.directory().toString(),
                            options.name(), String.valueOf(id), "16", "mixed", "2", "5000", String.valueOf(hotKeys),
                            "2048"));
                }
                workers.forEach(worker -> worker.expect("READY", TIMEOUT));
                workers.forEach(worker -> worker.send("go"));
                long increments = 0;
                for (JvmProcess worker : workers) {
                    Map<String, String> done = Lines.fields(worker.expect("DONE", TIMEOUT));
                    assertThat(done.get("violations")).as("a holder found another inside its key").isEqualTo("0");
                    increments += Long.parseLong(done.get("increments"));
                }
                ByteBuffer buffer = region.buffer();
                int heap = (int) region.header().heapOffset();
                long counted = 0;
                for (int key = 0; key < hotKeys; key++) {
                    counted += buffer.getLong(heap + KeyedLockWorker.COUNTERS + key * KeyedLockWorker.STRIDE);
                }
                assertThat(counted).as("increments of the shared long keys, none lost").isEqualTo(increments);
                assertThat(increments).isPositive();
                assertThat(KeyedLockTest.pinnedRecords(region)).isZero();
            } finally {
                workers.forEach(JvmProcess::close);
            }
        }
    }

    @Test
    void aWriterKilledHoldingAKeyFreesItTornAndItsRecordIsReclaimedOnceConsistent() throws Exception {
        RegionOptions options = regions.options("keyed-kill-writer").maxLocks(4).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            try (JvmProcess holder = startWorker(options, "hold-write", "A-1")) {
                holder.expect("HELD", TIMEOUT);
                RWLock lock = region.lock(KeyedLockWorker.FAMILY, "A-1");
                assertThat(lock.writeLock().tryLock()).as("held by the other process").isFalse();
                holder.kill();
                assertThat(lock.writeLock().tryLock(10, TimeUnit.SECONDS)).as("freed once its holder died").isTrue();
                try {
                    assertThat(lock.isPossiblyTorn()).as("its writer died holding it").isTrue();
                    assertThat(inOtherThread(() -> lock.readLock().tryLock())).isFalse();
                    assertAllRecordsButOneTakeNewKeys(region, 2, "while torn and held, its record stays");
                    lock.markConsistent();
                } finally {
                    lock.writeLock().unlock();
                }
            }
            assertAllRecordsButOneTakeNewKeys(region, 3, "after markConsistent, its record is free again");
        }
    }

    @Test
    void aReaderKilledHoldingAKeyFreesItNotTornAndLeavesNoRecordBehind() throws Exception {
        RegionOptions options = regions.options("keyed-kill-reader").maxLocks(4).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            try (JvmProcess holder = startWorker(options, "hold-read", "B-2")) {
                holder.expect("HELD", TIMEOUT);
                RWLock lock = region.lock(KeyedLockWorker.FAMILY, "B-2");
                assertThat(lock.writeLock().tryLock()).isFalse();
                holder.kill();
                assertThat(lock.writeLock().tryLock(10, TimeUnit.SECONDS)).isTrue();
                assertThat(lock.isPossiblyTorn()).as("only a reader died").isFalse();
                lock.writeLock().unlock();
            }
            assertAllRecordsButOneTakeNewKeys(region, 3, "a dead reader's key takes no record");
        }
    }

    /**
     * A process that pinned a key's record and was killed before it locked: its pin counts
     * nowhere once its death is confirmed, so the key's lock is free and its record reclaimed.
     */
    @Test
    void aProcessKilledBetweenPinAndLockLeaksNothing() throws Exception {
        RegionOptions options = regions.options("keyed-kill-pin").maxLocks(4).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            try (JvmProcess pinner = startWorker(options, "pin", "C-3")) {
                pinner.expect("PINNED", TIMEOUT);
                assertAllRecordsButOneTakeNewKeys(region, 2, "while the pinner lives, its record is kept");
                pinner.kill();
            }
            RWLock lock = region.lock(KeyedLockWorker.FAMILY, "C-3");
            assertThat(lock.writeLock().tryLock()).as("never locked, so free at once").isTrue();
            lock.writeLock().unlock();
            assertAllRecordsButOneTakeNewKeys(region, 3, "the dead pin leaks nothing");
        }
    }

    /**
     * Holds {@code keys} new keys at once from as many threads (the default lock takes one
     * record), proving that many records are free or reclaimable, and that one more is not.
     */
    private static void assertAllRecordsButOneTakeNewKeys(SharedRegion region, int keys, String why) throws Exception {
        List<Thread> holders = new ArrayList<>();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(keys);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        String run = Long.toString(System.nanoTime(), 36);
        for (int k = 0; k < keys; k++) {
            RWLock lock = region.lock("fill", run + "-" + k);
            Thread thread = new Thread(() -> {
                try {
                    lock.writeLock().lock();
                } catch (Throwable e) {
                    failures.add(e);
                    held.countDown();
                    return;
                }
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lock.writeLock().unlock();
                }
            });
            thread.start();
            holders.add(thread);
        }
        try {
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).as(why).isEmpty();
            RWLock oneMore = region.lock("fill", run + "-more");
            boolean took = false;
            try {
                took = oneMore.writeLock().tryLock();
            } catch (RegionFullException expected) {
                // the table is full: what this checks
            }
            if (took) {
                oneMore.writeLock().unlock();
            }
            assertThat(took).as("%s: no more than %d records are free", why, keys).isFalse();
        } finally {
            release.countDown();
            for (Thread thread : holders) {
                thread.join();
            }
        }
    }

    private static JvmProcess startWorker(RegionOptions options, String mode, String key) {
        JvmProcess worker = JvmProcess.start(List.of(), KeyedLockWorker.class, options.directory().toString(),
                options.name(), "9", String.valueOf(options.maxLocks()), mode, key);
        worker.expect("READY", TIMEOUT);
        worker.send("go");
        return worker;
    }

    private static <T> T inOtherThread(java.util.concurrent.Callable<T> action) throws Exception {
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            return other.submit(action).get(30, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
    }
}

package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import io.hostsync.testing.TestRegions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock between real JVMs, which every {@link Backend} runs: exclusion under load, fairness,
 * timeouts. A subclass per backend.
 */
abstract class LockAcrossProcessesContract {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    /** @return the backend under test */
    abstract Backend backend();

    /** Operations per thread of the exclusion test: 4 JVMs × 4 threads × this. */
    int perThreadOperations() {
        return 62_500;
    }

    /**
     * Whether readers get in under a stream of writers of other processes. The posix backend
     * prefers writers (glibc's only writer-starvation-free kind), so readers may starve there.
     */
    boolean readersNeverStarve() {
        return true;
    }

    RegionOptions.Builder options(String base) {
        return regions.options(base).backend(backend());
    }

    @Test
    void fourJvmsWithFourThreadsEachNeverOverlapAWriterInAMillionOperations() {
        RegionOptions options = options("exclusion").build();
        int jvms = 4;
        int threads = 4;
        int perThread = perThreadOperations();
        try (SharedRegion region = SharedRegion.open(options)) {
            List<JvmProcess> workers = start(options, jvms, "mixed", threads, perThread, 0);
            try {
                workers.forEach(worker -> worker.send("go"));
                long operations = 0;
                long writes = 0;
                for (JvmProcess worker : workers) {
                    Map<String, String> done = Lines.fields(worker.expect("DONE", TIMEOUT));
                    assertThat(done.get("violations")).as("violations seen by %s", done).isEqualTo("0");
                    operations += Long.parseLong(done.get("ops"));
                    writes += Long.parseLong(done.get("writes"));
                }
                assertThat(operations).isEqualTo((long) jvms * threads * perThread);
                assertThat(LockWorker.writes(region)).as("no write was lost").isEqualTo(writes);
                assertThat(LockWorker.consistent(region)).isTrue();
                LockStatistics host = region.lock().hostStatistics();
                assertThat(host.acquisitions()).isEqualTo(operations);
                assertThat(host.writeAcquisitions()).isEqualTo(writes);
                assertThat(host.readHolds()).isZero();
                assertThat(host.possiblyTorn()).isFalse();
            } finally {
                workers.forEach(JvmProcess::close);
            }
        }
    }

    @Test
    void aWriterIsNotStarvedByOverlappingReadersOfOtherProcesses() throws Exception {
        RegionOptions options = options("writer-starvation").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            // Three threads per process, each holding the read lock 2 ms at a time, back to back:
            // there is always a reader, and the readers overlap.
            List<JvmProcess> readers = start(options, 2, "hold-read", 3, 0, 2_000);
            try {
                readers.forEach(reader -> reader.send("go"));
                awaitReaders(region);
                RWLock lock = region.lock();
                for (int i = 0; i < 20; i++) {
                    assertThat(lock.writeLock().tryLock(30, TimeUnit.SECONDS))
                            .as("write %d got in despite the stream of readers", i).isTrue();
                    lock.writeLock().unlock();
                    Thread.sleep(5);
                }
                assertThat(region.lock().hostStatistics().readAcquisitions()).isPositive();
            } finally {
                stop(readers);
            }
        }
    }

    @Test
    void readersAreNotStarvedByAStreamOfWritersOfOtherProcesses() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(readersNeverStarve(),
                "documented: the " + backend().configName() + " backend prefers writers");
        RegionOptions options = options("reader-starvation").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            List<JvmProcess> writers = start(options, 2, "hold-write", 2, 0, 1_000);
            try {
                writers.forEach(writer -> writer.send("go"));
                RWLock lock = region.lock();
                while (lock.hostStatistics().writeAcquisitions() < 10) {
                    Thread.sleep(1);
                }
                for (int i = 0; i < 20; i++) {
                    assertThat(lock.readLock().tryLock(30, TimeUnit.SECONDS))
                            .as("read %d got in despite the stream of writers", i).isTrue();
                    lock.readLock().unlock();
                    Thread.sleep(5);
                }
            } finally {
                stop(writers);
            }
        }
    }

    @Test
    void aTimedAcquisitionGivesUpWhileAnotherProcessWritesAndTheHostSeesItWait() throws Exception {
        RegionOptions options = options("timeout").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            List<JvmProcess> writers = start(options, 1, "hold-write", 1, 0, 500_000);
            try {
                writers.get(0).send("go");
                RWLock lock = region.lock();
                while (lock.hostStatistics().writerSlot() < 0) {
                    Thread.sleep(1);
                }
                assertThat(lock.hostStatistics().writerSlot()).isNotEqualTo(region.slot());
                assertThat(lock.processStatistics().writerSlot()).as("not this process").isEqualTo(-1);
                assertThat(lock.readLock().tryLock(50, TimeUnit.MILLISECONDS)).isFalse();
                assertThat(lock.writeLock().tryLock(50, TimeUnit.MILLISECONDS)).isFalse();
                assertThat(lock.hostStatistics().timeouts()).isEqualTo(2);
                assertThat(lock.processStatistics().timeouts()).isEqualTo(2);
                assertThat(lock.hostStatistics().waitingWriters()).isZero();
            } finally {
                stop(writers);
            }
        }
    }

    @Test
    void aWriterWaitingForAnotherProcesssReadersToLeaveIsCountedAsWaiting() throws Exception {
        RegionOptions options = options("drain-waiting").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            List<JvmProcess> readers = start(options, 1, "hold-read", 1, 0, 500_000);
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try {
                readers.get(0).send("go");
                RWLock lock = region.lock();
                while (lock.hostStatistics().readHolds() == 0) {
                    Thread.sleep(1);
                }
                Future<Boolean> write = writer.submit(() -> {
                    boolean acquired = lock.writeLock().tryLock(30, TimeUnit.SECONDS);
                    if (acquired) {
                        lock.writeLock().unlock();
                    }
                    return acquired;
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (lock.hostStatistics().waitingWriters() != 1) {
                    assertThat(System.nanoTime()).as("the waiting writer shows in the host statistics")
                            .isLessThan(deadline);
                    Thread.sleep(1);
                }
                assertThat(lock.processStatistics().waitingWriters()).isEqualTo(1);
                assertThat(write.isDone()).as("still waiting for the reader").isFalse();
                stop(readers);
                assertThat(write.get(30, TimeUnit.SECONDS)).isTrue();
                assertThat(lock.hostStatistics().waitingWriters()).isZero();
            } finally {
                writer.shutdownNow();
                readers.forEach(JvmProcess::close);
            }
        }
    }

    static List<JvmProcess> start(RegionOptions options, int count, String mode, int threads, long perThread,
            long insideMicros) {
        return start(options, count, mode, threads, perThread, insideMicros, options.backend());
    }

    private static List<JvmProcess> start(RegionOptions options, int count, String mode, int threads, long perThread,
            long insideMicros, Backend backend) {
        List<JvmProcess> workers = new ArrayList<>();
        for (int id = 0; id < count; id++) {
            JvmProcess worker = JvmProcess.start(List.of(), LockWorker.class, options.directory().toString(),
                    options.name(), String.valueOf(id), mode, String.valueOf(threads), String.valueOf(perThread),
                    String.valueOf(insideMicros), backend.configName());
            workers.add(worker);
        }
        workers.forEach(worker -> worker.expect("READY", TIMEOUT));
        return workers;
    }

    static void stop(List<JvmProcess> workers) {
        for (JvmProcess worker : workers) {
            worker.send("stop");
        }
        for (JvmProcess worker : workers) {
            Map<String, String> done = Lines.fields(worker.expect("DONE", TIMEOUT));
            assertThat(done.get("violations")).isEqualTo("0");
            worker.close();
        }
    }

    private static void awaitReaders(SharedRegion region) throws InterruptedException {
        while (region.lock().hostStatistics().readHolds() == 0) {
            Thread.sleep(1);
        }
    }
}

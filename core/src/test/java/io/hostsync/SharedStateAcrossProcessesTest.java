package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.state.Codecs;
import io.hostsync.state.SharedLongArray;
import io.hostsync.state.SharedSemaphore;
import io.hostsync.state.SharedValue;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import io.hostsync.testing.Root;
import io.hostsync.testing.TestRegions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SharedState between real JVMs: exact sums, visibility, listeners, crashes, persistence. */
class SharedStateAcrossProcessesTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final long SEED = Long.getLong("hostsync.kill.seed", System.nanoTime());

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @TempDir
    Path persistent;

    @Test
    void countersIncrementedFromFourJvmsWithFourThreadsEachSumExactly() {
        RegionOptions options = regions.options("counters").build();
        int jvms = 4;
        int threads = 4;
        long each = 50_000;
        try (SharedRegion region = SharedRegion.open(options)) {
            List<JvmProcess> workers = new ArrayList<>();
            try {
                for (int id = 0; id < jvms; id++) {
                    workers.add(StateWorker.start(options, "count", String.valueOf(id), String.valueOf(threads),
                            String.valueOf(each)));
                }
                workers.forEach(worker -> worker.send("go"));
                workers.forEach(worker -> worker.expect("DONE", TIMEOUT));
                assertThat(region.state().counter("hits").get()).isEqualTo(jvms * threads * each);
                SharedLongArray perWorker = region.state().longArray("per-worker", 16);
                for (int id = 0; id < jvms; id++) {
                    assertThat(perWorker.get(id)).isEqualTo(threads * each);
                }
            } finally {
                workers.forEach(JvmProcess::close);
            }
        }
    }

    @Test
    void aValueSetInOneJvmIsSeenByAnotherAtOnceAndItsListenerFires() throws Exception {
        RegionOptions options = regions.options("visible").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedValue<String> greeting = region.state().value("greeting", Codecs.utf8(), 256);
            AtomicReference<String> heard = new AtomicReference<>();
            CountDownLatch told = new CountDownLatch(1);
            try (AutoCloseable listening = greeting.onChange(value -> {
                heard.set(value);
                told.countDown();
            }); JvmProcess setter = StateWorker.start(options, "set", "hello-from-another-jvm")) {
                String set = setter.expect("SET", TIMEOUT);
                assertThat(greeting.get()).as("visible as soon as set() returned there")
                        .isEqualTo("hello-from-another-jvm");
                assertThat(greeting.version()).isEqualTo(Long.parseLong(Lines.fields(set).get("version")));
                assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(heard.get()).isEqualTo("hello-from-another-jvm");
            }
            greeting.set("and-back");
            try (JvmProcess getter = StateWorker.start(options, "get")) {
                assertThat(Lines.fields(getter.expect("GOT", TIMEOUT)).get("value")).isEqualTo("and-back");
            }
        }
    }

    @Test
    void permitsHeldByAKilledProcessReturnToThePool() throws Exception {
        RegionOptions options = regions.options("permits").build();
        try (SharedRegion region = SharedRegion.open(options);
                JvmProcess holder = StateWorker.start(options, "hold-permits", "2")) {
            holder.expect("HELD", TIMEOUT);
            SharedSemaphore pool = region.state().semaphore("pool", 3);
            assertThat(pool.availablePermits()).isEqualTo(1);
            assertThat(pool.tryAcquire(2)).isFalse();
            holder.kill();
            assertThat(pool.tryAcquire(3, 10, TimeUnit.SECONDS)).as("the dead process's permits came back").isTrue();
            pool.release(3);
        }
    }

    @Test
    void aWaiterForPermitsIsServedWhenTheirHolderDies() throws Exception {
        RegionOptions options = regions.options("permits-wait").build();
        try (SharedRegion region = SharedRegion.open(options);
                JvmProcess holder = StateWorker.start(options, "hold-permits", "3")) {
            holder.expect("HELD", TIMEOUT);
            SharedSemaphore pool = region.state().semaphore("pool", 3);
            Thread killer = new Thread(() -> {
                sleep(100);
                holder.kill();
            });
            killer.start();
            assertThat(pool.tryAcquire(1, 30, TimeUnit.SECONDS)).isTrue();
            killer.join();
            pool.release(1);
        }
    }

    @Test
    void writersKilledDuringSetFiftyTimesNeverLetAReaderSeeATornValue() throws Exception {
        Root.require();
        RegionOptions options = regions.options("torn-values").build();
        Random random = new Random(SEED);
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedValue<String> record = region.state().value("record", Codecs.utf8(), StateWorker.RECORD_CAPACITY);
            AtomicLong reads = new AtomicLong();
            AtomicLong torn = new AtomicLong();
            AtomicReference<String> example = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    String value = record.get();
                    reads.incrementAndGet();
                    if (!StateWorker.whole(value)) {
                        torn.incrementAndGet();
                        example.compareAndSet(null, value);
                    }
                }
            });
            reader.start();
            try {
                for (int kill = 0; kill < 50; kill++) {
                    try (JvmProcess writer = kill % 2 == 0 ? StateWorker.start(options, "set-loop")
                            : StateWorker.startInPidNamespace(options, "set-loop")) {
                        long before = record.version();
                        while (record.version() < before + 3) {
                            Thread.sleep(1);
                        }
                        Thread.sleep(random.nextInt(30));
                        writer.kill();
                    }
                    // The dead writer may hold the value's mutex: the next write must take it over.
                    record.set(StateWorker.payload(-kill - 1));
                    assertThat(record.get()).isEqualTo(StateWorker.payload(-kill - 1));
                }
            } finally {
                reader.interrupt();
                reader.join();
            }
            assertThat(torn.get()).as("torn reads of %d (seed %d), e.g. %s", reads.get(), SEED,
                    example.get() == null ? null : example.get().substring(0, Math.min(80, example.get().length())))
                    .isZero();
            assertThat(reads.get()).isPositive();
        }
    }

    @Test
    void entriesOfAPersistentRegionSurviveARestartOfEveryProcess() {
        RegionOptions options = regions.options("restart", persistent).build();
        try (JvmProcess first = StateWorker.start(options, "set", "written-before-the-restart")) {
            first.expect("SET", TIMEOUT);
        }
        assertThat(options.file()).exists();
        try (JvmProcess second = StateWorker.start(options, "get")) {
            assertThat(Lines.fields(second.expect("GOT", TIMEOUT)).get("value"))
                    .isEqualTo("written-before-the-restart");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.TestRegions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blocked waiters of the {@code robust} backend sleep instead of burning the CPU, measured on real
 * JVMs with the kernel's count of their CPU time. Native layer only: the portable layer polls by
 * design, and this class is not in its surefire execution. (That no wake-up is lost is forced
 * interleaving by interleaving in {@code FutexWaiterTest}: across processes the window is a few
 * nanoseconds wide, too narrow for a test to hit reliably.)
 */
class RobustWaitingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** How long the writer holds while the others wait: the README's long write (a file reload). */
    private static final long HOLD_MILLIS = 2_500;

    /**
     * CPU the waiting JVMs may use over the whole hold, all threads together. Eight sleeping
     * threads use a few milliseconds; on the code this test was written against they used
     * seconds (both cores), so the margin is wide both ways.
     */
    private static final Duration CPU_BOUND = Duration.ofMillis(500);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void readersBlockedBehindALongWriteSleepInsteadOfSpinning() {
        assertWaitersStayIdle("readers", 4, 0);
    }

    @Test
    void readersAndWritersBlockedBehindALongWriteSleepInsteadOfSpinning() {
        assertWaitersStayIdle("mixed", 2, 2);
    }

    private void assertWaitersStayIdle(String base, int readers, int writers) {
        RegionOptions options = regions.options(base).backend(Backend.ROBUST).build();
        try (SharedRegion region = SharedRegion.open(options);
                JvmProcess holder = start(options);
                JvmProcess first = start(options);
                JvmProcess second = start(options)) {
            holder.send("hold-write");
            holder.expect("HELD", TIMEOUT);
            first.send("block " + readers + " " + writers);
            second.send("block " + readers + " " + writers);
            first.expect("BLOCKED", TIMEOUT);
            second.expect("BLOCKED", TIMEOUT);

            Duration before = cpu(first).plus(cpu(second));
            sleep(HOLD_MILLIS);
            Duration used = cpu(first).plus(cpu(second)).minus(before);

            System.out.printf("RobustWaitingTest %s: %d threads blocked in two JVMs used %d ms of CPU over %d ms%n",
                    base, 2 * (readers + writers), used.toMillis(), HOLD_MILLIS);
            holder.send("release-write");
            holder.expect("RELEASED", TIMEOUT);
            assertThat(first.expect("ACQUIRED", TIMEOUT)).isEqualTo("ACQUIRED " + (readers + writers));
            assertThat(second.expect("ACQUIRED", TIMEOUT)).isEqualTo("ACQUIRED " + (readers + writers));
            assertThat(used).as("CPU time of %d blocked threads in two JVMs over a write hold of %d ms",
                    2 * (readers + writers), HOLD_MILLIS).isLessThan(CPU_BOUND);
        }
    }

    /**
     * Writers blocked behind a writer: only one of them can own the lock next, so a release wakes
     * one, and that one wakes the next when it leaves. Counted with the kernel's count of each
     * writer thread's voluntary context switches (one per sleep) from just before the release until
     * all have had the lock: one wake-up each, one park inside the lock (the 2 ms hold), and a
     * liveness check (every 50 ms) for those that wait longest: about 30 for 12 writers, 60 allowed
     * for a loaded machine. Woken all at once, the writers that lose the race sleep again while the
     * winner holds, so the k-th writer in sleeps about k times: 78 + 12, and 90 were counted on the
     * code before writers were woken one at a time.
     */
    @Test
    void aReleaseWakesOneWaitingWriterNotAHerd() {
        RegionOptions options = regions.options("writers").backend(Backend.ROBUST).build();
        int writers = 6;
        try (SharedRegion region = SharedRegion.open(options);
                JvmProcess holder = start(options);
                JvmProcess first = start(options);
                JvmProcess second = start(options)) {
            holder.send("hold-write");
            holder.expect("HELD", TIMEOUT);
            first.send("block 0 " + writers + " 2000"); // each stays 2 ms: long enough for a woken loser to sleep again
            second.send("block 0 " + writers + " 2000");
            first.expect("BLOCKED", TIMEOUT);
            second.expect("BLOCKED", TIMEOUT);
            sleep(200); // every writer past its spin phase, asleep

            long before = sleeps(first) + sleeps(second);
            holder.send("release-write");
            first.expect("ACQUIRED", TIMEOUT);
            second.expect("ACQUIRED", TIMEOUT);
            long sleeps = sleeps(first) + sleeps(second) - before;
            first.send("finish");
            second.send("finish");
            first.expect("FINISHED", TIMEOUT);
            second.expect("FINISHED", TIMEOUT);
            System.out.printf("RobustWaitingTest writers: %d writers in two JVMs slept %d times from the release on%n",
                    2 * writers, sleeps);
            assertThat(sleeps).as("sleeps of %d writers from the release until all had the lock", 2 * writers)
                    .isLessThan(5L * 2 * writers);
        }
    }

    /** Voluntary context switches of the process's writer threads so far: how often they slept. */
    private static long sleeps(JvmProcess process) {
        long total = 0;
        try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks = java.nio.file.Files
                .newDirectoryStream(java.nio.file.Path.of("/proc", String.valueOf(process.javaPid()), "task"))) {
            for (java.nio.file.Path task : tasks) {
                try {
                    if (!java.nio.file.Files.readString(task.resolve("comm")).startsWith("writer-")) {
                        continue;
                    }
                    for (String line : java.nio.file.Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    throw new AssertionError("A writer thread ended before it was counted: " + task, e);
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return total;
    }

    private static JvmProcess start(RegionOptions options) {
        JvmProcess process = JvmProcess.start(List.of(), WaitingProcess.class, options.directory().toString(),
                options.name());
        process.expect("READY", TIMEOUT);
        return process;
    }

    /** The process's CPU time (all its threads, user and system), as the kernel counts it. */
    private static Duration cpu(JvmProcess process) {
        return ProcessHandle.of(process.javaPid()).orElseThrow().info().totalCpuDuration().orElseThrow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.TestRegions;
import io.hostsync.testing.ThreadStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
     * CPU the blocked waiters may use, per waiter and per second of the hold, counting the waiting
     * threads and the hostsync threads of their JVMs that work for them (liveness checker, relays;
     * not the region's watchdog). Threads blocked on {@code ReentrantReadWriteLock} use none. It
     * catches waiters that spin or wake each other (120 ms per waiter per second, both cores busy,
     * before a blocked reader looked before taking a hold); now about 0.5 ms, nearly all of it the
     * checkers' 20 checks a second, barely compiled in JVMs that live a few seconds.
     */
    private static final double CPU_MILLIS_PER_WAITER_PER_SECOND = 1.5;

    /**
     * How often a blocked waiter (with its share of the hostsync threads working for the waiters)
     * may wake up per second of the hold. With one liveness checker per JVM and lock: its 20 checks
     * a second shared by the 8 waiters of a JVM, and each waiter's backstop once a second, about
     * 3.5. When each waiter checked liveness on its own it woke 20 times a second, which this
     * catches whatever the CPU a check costs on the machine.
     */
    private static final double WAKE_UPS_PER_WAITER_PER_SECOND = 8;

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void readersBlockedBehindALongWriteSleepInsteadOfSpinning() {
        assertWaitersStayIdle("readers", 8, 0);
    }

    @Test
    void writersBlockedBehindALongWriteSleepInsteadOfSpinning() {
        assertWaitersStayIdle("writers", 0, 8);
    }

    @Test
    void readersAndWritersBlockedBehindALongWriteSleepInsteadOfSpinning() {
        assertWaitersStayIdle("mixed", 4, 4);
    }

    private void assertWaitersStayIdle(String base, int readers, int writers) {
        RegionOptions options = regions.options(base).backend(Backend.ROBUST).build();
        int waiters = 2 * (readers + writers);
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
            sleep(100); // every waiter past its spin phase and first liveness check

            Duration before = cpu(first).plus(cpu(second));
            long waitersBefore = waitingCpuNanos(first) + waitingCpuNanos(second);
            long sleepsBefore = waitingSleeps(first) + waitingSleeps(second);
            sleep(HOLD_MILLIS);
            long waitersUsed = waitingCpuNanos(first) + waitingCpuNanos(second) - waitersBefore;
            long sleeps = waitingSleeps(first) + waitingSleeps(second) - sleepsBefore;
            Duration used = cpu(first).plus(cpu(second)).minus(before);

            double seconds = HOLD_MILLIS / 1000.0;
            double perWaiterPerSecond = waitersUsed / 1e6 / waiters / seconds;
            double wakeUpsPerWaiterPerSecond = sleeps / (double) waiters / seconds;
            System.out.printf("RobustWaitingTest %s: %d threads blocked in two JVMs over %d ms: waiting and hostsync"
                    + " threads %.1f ms of CPU (%.3f ms per waiter per second) and %d wake-ups (%.1f per waiter per"
                    + " second), whole JVMs %d ms%n", base, waiters, HOLD_MILLIS, waitersUsed / 1e6, perWaiterPerSecond,
                    sleeps, wakeUpsPerWaiterPerSecond, used.toMillis());
            holder.send("release-write");
            holder.expect("RELEASED", TIMEOUT);
            assertThat(first.expect("ACQUIRED", TIMEOUT)).isEqualTo("ACQUIRED " + (readers + writers));
            assertThat(second.expect("ACQUIRED", TIMEOUT)).isEqualTo("ACQUIRED " + (readers + writers));
            assertThat(wakeUpsPerWaiterPerSecond).as("wake-ups per waiter per second of %d blocked threads in two JVMs"
                    + " (and their hostsync threads) over a write hold of %d ms", waiters, HOLD_MILLIS)
                    .isLessThan(WAKE_UPS_PER_WAITER_PER_SECOND);
            assertThat(perWaiterPerSecond).as("CPU ms per waiter per second of %d blocked threads in two JVMs (and"
                    + " their hostsync threads) over a write hold of %d ms", waiters, HOLD_MILLIS)
                    .isLessThan(CPU_MILLIS_PER_WAITER_PER_SECOND);
        }
    }

    /**
     * A writer SIGKILLed while 4 readers and 4 writers of another JVM wait for it: the next of them
     * gets in within about one liveness interval (50 ms) of the kill, found by this JVM's one
     * liveness checker while all eight sleep without a timeout of their own. Bounded at 500 ms, ten
     * intervals, against a loaded machine: what it catches is waiters that are never told.
     */
    @Test
    void aWriterKilledWhileEightThreadsWaitIsReplacedWithinALivenessInterval() throws Exception {
        RegionOptions options = regions.options("recovery").backend(Backend.ROBUST).build();
        int rounds = 10;
        long[] recoveries = new long[rounds];
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock();
            for (int round = 0; round < rounds; round++) {
                try (JvmProcess holder = start(options)) {
                    holder.send("hold-write");
                    holder.expect("HELD", TIMEOUT);
                    java.util.concurrent.atomic.AtomicLong firstIn = new java.util.concurrent.atomic.AtomicLong();
                    List<Thread> waiters = new java.util.ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        java.util.concurrent.locks.Lock half = t < 4 ? lock.readLock() : lock.writeLock();
                        Thread waiter = new Thread(() -> {
                            half.lock();
                            firstIn.compareAndSet(0, System.nanoTime());
                            half.unlock();
                        }, (t < 4 ? "reader-" : "writer-") + t);
                        waiter.start();
                        waiters.add(waiter);
                    }
                    while (lock.processStatistics().waitingReaders() + lock.processStatistics().waitingWriters() < 8) {
                        Thread.sleep(5);
                    }
                    // All asleep, past their first liveness check; the kill lands anywhere in a checker's interval.
                    sleep(100 + java.util.concurrent.ThreadLocalRandom.current().nextInt(50));
                    long kill = System.nanoTime();
                    holder.kill();
                    for (Thread waiter : waiters) {
                        waiter.join(TIMEOUT.toMillis());
                        assertThat(waiter.isAlive()).as("round %d: %s got the lock after the holder's death", round,
                                waiter.getName()).isFalse();
                    }
                    recoveries[round] = firstIn.get() - kill;
                }
            }
        }
        long[] sorted = recoveries.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("RobustWaitingTest recovery: from a holder's SIGKILL to the next acquisition with 8 threads"
                + " waiting, %d rounds: median %.1f ms, max %.1f ms%n", rounds, sorted[rounds / 2] / 1e6,
                sorted[rounds - 1] / 1e6);
        assertThat(sorted[rounds - 1]).as("slowest recovery, nanoseconds from the kill to the next acquisition")
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
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

    /** Nanoseconds on the CPU so far of the process's waiting threads and of the hostsync threads that work for them. */
    private static long waitingCpuNanos(JvmProcess process) {
        return ThreadStats.cpuNanos(process.javaPid(), ThreadStats::waitingOrWorkingForWaiters);
    }

    /** Voluntary context switches of the process's writer threads so far: how often they slept (they stay until "finish"). */
    private static long sleeps(JvmProcess process) {
        return ThreadStats.sleeps(process.javaPid(), name -> name.startsWith("writer-"));
    }

    /** Sleeps so far of the process's waiting threads and of the hostsync threads that work for them. */
    private static long waitingSleeps(JvmProcess process) {
        return ThreadStats.sleeps(process.javaPid(), ThreadStats::waitingOrWorkingForWaiters);
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

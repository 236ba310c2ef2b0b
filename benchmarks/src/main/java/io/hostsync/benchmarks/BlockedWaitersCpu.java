package io.hostsync.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * The CPU time that threads blocked on a lock use while it is held: what a long write hold
 * (a file reload) costs everyone else on the host. Not a JMH benchmark, because the figure is CPU
 * time counted by the kernel, not a duration of this thread.
 *
 * <ul>
 *   <li>hostsync ({@code robust}): this JVM holds the write lock; {@value #PROCESSES} {@link Partner}
 *       JVMs start {@value #THREADS_PER_PROCESS} threads each that ask for the read lock (or the
 *       write lock) with {@code lock()};</li>
 *   <li>the baseline: one Partner JVM holds the write lock of a {@code ReentrantReadWriteLock} of
 *       its own and starts {@value #PROCESSES}&nbsp;×&nbsp;{@value #THREADS_PER_PROCESS} threads
 *       blocked on it the same way.</li>
 * </ul>
 * Once every waiter has been seen asleep in the kernel and {@link #SETTLE} has passed, the
 * waiters' CPU time (each thread's {@code schedstat}) and their whole JVMs' (all living threads,
 * the JVM's own included) are read before and after a hold of {@link #HOLD}. The result: CPU
 * milliseconds per waiter per second of hold.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hostsync.benchmarks.BlockedWaitersCpu [rounds]
 * </pre>
 * Goal (issue 16): hostsync's waiters use no more than the baseline's.
 */
public final class BlockedWaitersCpu {

    private static final int PROCESSES = 2;
    private static final int THREADS_PER_PROCESS = 4;
    private static final int WAITERS = PROCESSES * THREADS_PER_PROCESS;
    /** How long the lock is held while the waiters' CPU is counted. */
    static final Duration HOLD = Duration.ofSeconds(3);
    /** Time left to the waiters between their first sleep and the count, so that starting up is not counted. */
    static final Duration SETTLE = Duration.ofMillis(500);

    private BlockedWaitersCpu() {
    }

    /**
     * Measures every case {@code rounds} times (default 2) and prints one line per measurement.
     *
     * @param args {@code [rounds]}
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        System.out.printf(Locale.ROOT, "%d waiters, a write hold of %d ms, CPU ms per waiter per second of hold%n",
                WAITERS,
                HOLD.toMillis());
        System.out.printf(Locale.ROOT, "%-44s %14s %14s%n", "case", "waiter threads", "whole JVMs");
        for (int round = 0; round < rounds; round++) {
            for (String half : List.of("read", "write")) {
                String waiters = WAITERS + (half.equals("read") ? " readers" : " writers");
                print("hostsync robust, " + waiters + " in " + PROCESSES + " JVMs", hostsync(half));
                print("ReentrantReadWriteLock, " + waiters + " in 1 JVM", reentrantReadWriteLock(half));
            }
        }
    }

    private static void print(String label, double[] perWaiterPerSecond) {
        System.out.printf(Locale.ROOT, "%-44s %14.2f %14.2f%n", label, perWaiterPerSecond[0], perWaiterPerSecond[1]);
    }

    /** @return CPU ms per waiter per second: the waiter threads', the whole JVMs' */
    private static double[] hostsync(String half) {
        try (LockUnderTest lock = LockUnderTest.hostsync(Regions.DEFAULT_BACKEND)) {
            Lock write = lock.readWriteLock().writeLock();
            write.lock();
            List<PartnerProcess> partners = new ArrayList<>();
            try {
                for (int i = 0; i < PROCESSES; i++) {
                    List<String> arguments = new ArrayList<>(
                            List.of("wait", half, Integer.toString(THREADS_PER_PROCESS)));
                    arguments.addAll(lock.joinArguments());
                    partners.add(PartnerProcess.start(arguments));
                }
                return measure(partners, THREADS_PER_PROCESS, lock);
            } finally {
                write.unlock(); // the waiters get the lock and end, then the partners stop
                partners.forEach(PartnerProcess::stop);
            }
        }
    }

    /** @return CPU ms per waiter per second: the waiter threads', the whole JVM's */
    private static double[] reentrantReadWriteLock(String half) {
        PartnerProcess partner = PartnerProcess.start("wait-local", half, Integer.toString(WAITERS));
        try {
            return measure(List.of(partner), WAITERS, null);
        } finally {
            partner.stop(); // releases its lock, its waiters end
        }
    }

    private static double[] measure(List<PartnerProcess> partners, int waitersEach, LockUnderTest sharedLock) {
        List<long[]> waiters = new ArrayList<>(); // {pid, tid}
        for (PartnerProcess partner : partners) {
            List<long[]> futexRanges = sharedLock == null ? List.of()
                    : Proc.mappings(partner.pid(), sharedLock.sleepFile());
            for (int i = 0; i < waitersEach; i++) {
                long tid = Long.parseLong(
                        partner.awaitLine("waiting ", Duration.ofSeconds(30)).substring("waiting ".length()).trim());
                waiters.add(new long[] { partner.pid(), tid });
                // Asleep in the kernel: on the region's futex words, or anywhere for the JVM-local lock (parked)
                try (Proc.ParkWatch parked = new Proc.ParkWatch(partner.pid(), tid, futexRanges, false,
                        sharedLock == null)) {
                    parked.await(Duration.ofSeconds(10));
                }
            }
        }
        sleep(SETTLE);
        long[] before = cpu(partners, waiters);
        long start = System.nanoTime();
        sleep(HOLD);
        long[] after = cpu(partners, waiters);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new double[] { (after[0] - before[0]) / 1e6 / waiters.size() / seconds,
                (after[1] - before[1]) / 1e6 / waiters.size() / seconds };
    }

    /** @return the waiter threads' CPU nanoseconds, the partner JVMs' */
    private static long[] cpu(List<PartnerProcess> partners, List<long[]> waiters) {
        long threads = 0;
        for (long[] waiter : waiters) {
            threads += Proc.cpuNanos(waiter[0], waiter[1]);
        }
        long processes = 0;
        for (PartnerProcess partner : partners) {
            processes += Proc.processCpuNanos(partner.pid());
        }
        return new long[] { threads, processes };
    }

    private static void sleep(Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

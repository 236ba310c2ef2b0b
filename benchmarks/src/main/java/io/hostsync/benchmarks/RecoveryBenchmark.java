package io.hostsync.benchmarks;

import io.hostsync.RWLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
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

/**
 * Recovery from a holder's death: a {@link Partner} JVM holds the write lock, {@code waiters}
 * threads of this JVM (8 unless {@code -p waiters=N} says otherwise) wait for it (asleep in the
 * kernel: parked, then a random 0 to 2 liveness intervals more, so that the death falls anywhere
 * in their cycle of checks), and the timed part sends the holder SIGKILL and spins until the
 * first waiter has the lock. Nothing wakes the waiters but
 * their own liveness checks, which ask the kernel whether the owner's slot is still locked: the
 * time is how long after the death the first of them looked, plus the reclaim.
 *
 * <p>One kill per iteration ({@code SingleShotTime}); each iteration starts a new holder JVM and
 * new waiters, untimed. JMH's percentiles over the measured iterations give the median, p99 and
 * maximum. {@code wait=lock} waits with {@code lock()}, {@code wait=tryLock} with
 * {@code tryLock(1, MINUTES)} (the annotations' path: parked in Java, a relay thread on the futex).
 *
 * <p>Goal (issue 16): p99 within one liveness interval ({@value RWLock#DEFAULT_LIVENESS_INTERVAL_MILLIS} ms).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 40)
public class RecoveryBenchmark {

    private static final Duration PARK_TIMEOUT = Duration.ofSeconds(10);
    private static final long LIVENESS_NANOS = TimeUnit.MILLISECONDS.toNanos(RWLock.DEFAULT_LIVENESS_INTERVAL_MILLIS);

    /** A region, a holder JVM about to be killed, and the waiters. */
    @State(Scope.Thread)
    public static class KilledHolder {
        /** {@code lock} or {@code tryLock}: how the waiters ask for the write lock. */
        @Param({ "lock", "tryLock" })
        public String wait;

        /** How many threads wait when the holder dies. */
        @Param({ "8" })
        public int waiters;

        LockUnderTest lock;
        PartnerProcess holder;
        final AtomicInteger acquired = new AtomicInteger();
        private final List<Thread> waitingThreads = new ArrayList<>();

        /**
         * Creates the region, on the default backend only: {@code posix} is not crash-safe, and
         * {@code file}'s lock is freed by the kernel itself.
         */
        @Setup(Level.Trial)
        public void open() {
            lock = LockUnderTest.hostsync(Regions.DEFAULT_BACKEND);
        }

        /** Untimed: a new holder JVM takes the write lock; {@code waiters} threads here queue for it and park. */
        @Setup(Level.Iteration)
        public void arm() {
            acquired.set(0);
            List<String> arguments = new ArrayList<>(List.of("hold-write"));
            arguments.addAll(lock.joinArguments());
            holder = PartnerProcess.start(arguments);
            Lock write = lock.readWriteLock().writeLock();
            boolean timed = wait.equals("tryLock");
            List<Long> tids = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                long[] tid = new long[] { -1 };
                Thread waiter = new Thread(() -> {
                    synchronized (tid) {
                        tid[0] = Affinity.currentTid();
                        tid.notifyAll();
                    }
                    acquireAndRelease(write, timed);
                }, "recovery-waiter-" + i);
                waiter.setDaemon(true);
                waiter.start();
                waitingThreads.add(waiter);
                tids.add(awaitTid(tid));
            }
            List<long[]> futexRanges = Proc.mappings(ProcessHandle.current().pid(), lock.sleepFile());
            for (long tid : tids) {
                // lock(): FUTEX_WAIT on the region; tryLock: parked in Java (its relay sleeps on the region)
                try (Proc.ParkWatch parked = new Proc.ParkWatch(ProcessHandle.current().pid(), tid, futexRanges, false,
                        timed)) {
                    parked.await(PARK_TIMEOUT);
                }
            }
            // A waiter parks right after its first liveness check: killing now would always land a
            // whole interval before the next one. A holder dies at any moment of the waiters' cycle.
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(2 * LIVENESS_NANOS));
        }

        private void acquireAndRelease(Lock write, boolean timed) {
            try {
                if (timed) {
                    if (!write.tryLock(1, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("No recovery within a minute");
                    }
                } else {
                    write.lock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            acquired.incrementAndGet();
            write.unlock();
        }

        private static long awaitTid(long[] tid) {
            synchronized (tid) {
                while (tid[0] < 0) {
                    try {
                        tid.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                return tid[0];
            }
        }

        /** Untimed: every waiter gets the lock in turn; the dead holder's process is reaped. */
        @TearDown(Level.Iteration)
        public void settle() throws InterruptedException {
            holder.awaitExit();
            for (Thread waiter : waitingThreads) {
                waiter.join(TimeUnit.SECONDS.toMillis(30));
                if (waiter.isAlive()) {
                    throw new IllegalStateException(
                            waiter.getName() + " did not get the lock within 30 s of the holder's death");
                }
            }
            waitingThreads.clear();
        }

        /** Deletes the region. */
        @TearDown(Level.Trial)
        public void close() {
            if (lock != null) {
                lock.close();
            }
        }
    }

    /**
     * SIGKILL the holder; spin until one of the waiters has the lock.
     *
     * @return how many waiters had it by then
     */
    @Benchmark
    public int killedHolderToNextAcquisition(KilledHolder s) {
        s.holder.kill();
        int acquired;
        while ((acquired = s.acquired.get()) == 0) {
            Thread.onSpinWait();
        }
        return acquired;
    }
}

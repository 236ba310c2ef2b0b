package io.hostsync.benchmarks;

import io.hostsync.internal.os.Futex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.LongStream;

/**
 * The other processes of the multi-process benchmarks, started by {@link PartnerProcess} with
 * the benchmark's class path. It prints {@code ready <tid>} (the Linux thread id of the thread
 * that works, so that the benchmark can see in {@code /proc} where it sleeps), works until its
 * standard input closes or the benchmark sets {@link Channel#STOP}, prints {@code done ...} and
 * exits.
 *
 * <ul>
 *   <li>{@code workload <workload> <threads> <lock...>}: joins the lock ({@link LockUnderTest#join})
 *       and runs the {@link Workload} on it in a loop, in that many threads; prints
 *       {@code done operations=<n> nanos=<t>} (all its threads' operations).</li>
 *   <li>{@code lock-handoff <channel> <lock...>}: sleeps on {@link Channel#TURN} until the
 *       benchmark holds the lock's write lock, asks for it (the lock's own way of waiting: spin,
 *       then sleep on its futex word, or block in {@code fcntl}), and when it gets it bumps
 *       {@link Channel#ACK}, releases it and goes back to sleep on TURN.</li>
 *   <li>{@code timed-lock-handoff <channel> <lock...>}: the same, asking with
 *       {@code tryLock(1, MINUTES)} (the path of the annotations: the thread parks in Java and a
 *       relay thread sleeps on the futex word for it), after bumping {@link Channel#ASKING}.</li>
 *   <li>{@code map-mix <map...>}: joins the map ({@link MapUnderTest#join}) and runs
 *       {@link MapBenchmark}'s mix of 95 % gets and 5 % puts on it in a loop; prints
 *       {@code done operations=<n> nanos=<t>}.</li>
 *   <li>{@code futex-handoff <channel>}: sleeps on {@link Channel#PING} with FUTEX_WAIT until
 *       the word changes, then bumps {@link Channel#ACK} and goes back to sleep.</li>
 *   <li>{@code hold-write <lock...>}: takes the write lock, prints {@code ready <tid>} and holds
 *       it until it is killed (the recovery benchmark's holder) or told to stop.</li>
 *   <li>{@code wait <read|write> <threads> <lock...>}: starts that many threads that ask for
 *       the read or write lock with {@code lock()} (someone else holds the write lock) and
 *       release it at once when they get it; prints {@code ready <tid>}, then
 *       {@code waiting <tid>} for each of them, and {@code done acquired=<n>} when told to
 *       stop.</li>
 *   <li>{@code wait-local <read|write> <threads>}: the same on a {@code ReentrantReadWriteLock} of
 *       its own, whose write lock its main thread holds until told to stop (the baseline of the
 *       blocked waiters' CPU).</li>
 * </ul>
 * {@code <lock...>} is what {@link LockUnderTest#joinArguments()} gave the benchmark.
 */
public final class Partner {

    /** Set when standard input closes: the benchmark is done with us. */
    private static volatile boolean stopRequested;

    private Partner() {
    }

    /**
     * Runs one partner mode.
     *
     * @param args the mode and its arguments, see the class comment
     * @throws Exception if it fails; the stack trace goes to the benchmark's standard error
     */
    public static void main(String[] args) throws Exception {
        watchStandardInput();
        List<String> arguments = List.of(args);
        switch (args[0]) {
            case "workload" ->
                workload(Workload.of(args[1]), Integer.parseInt(args[2]), arguments.subList(3, arguments.size()));
            case "lock-handoff" -> lockHandoff(Path.of(args[1]), false, arguments.subList(2, arguments.size()));
            case "timed-lock-handoff" -> lockHandoff(Path.of(args[1]), true, arguments.subList(2, arguments.size()));
            case "futex-handoff" -> futexHandoff(Path.of(args[1]));
            case "hold-write" -> holdWrite(arguments.subList(1, arguments.size()));
            case "wait" -> {
                try (LockUnderTest lock = LockUnderTest.join(arguments.subList(3, arguments.size()))) {
                    blockedWaiters(lock.readWriteLock(), args[1], Integer.parseInt(args[2]));
                }
            }
            case "wait-local" -> {
                ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
                lock.writeLock().lock(); // released when told to stop, after the waiters' CPU was measured
                blockedWaiters(lock, args[1], Integer.parseInt(args[2]));
                lock.writeLock().unlock();
            }
            case "map-mix" -> mapMix(arguments.subList(1, arguments.size()));
            default -> throw new IllegalArgumentException("Unknown partner mode " + args[0]);
        }
    }

    private static void workload(Workload workload, int threads, List<String> lockArguments)
            throws InterruptedException {
        try (LockUnderTest lock = LockUnderTest.join(lockArguments)) {
            ready();
            long start = System.nanoTime();
            long[] operations = new long[threads];
            List<Thread> others = new ArrayList<>();
            for (int i = 1; i < threads; i++) {
                int index = i;
                Thread thread = new Thread(
                        () -> operations[index] = workload.runUntil(lock.readWriteLock(), () -> stopRequested),
                        "workload-" + i);
                thread.start();
                others.add(thread);
            }
            operations[0] = workload.runUntil(lock.readWriteLock(), () -> stopRequested);
            for (Thread thread : others) {
                thread.join();
            }
            long nanos = System.nanoTime() - start;
            System.out.println("done operations=" + LongStream.of(operations).sum() + " nanos=" + nanos);
        }
    }

    private static void mapMix(List<String> mapArguments) {
        try (MapUnderTest map = MapUnderTest.join(mapArguments)) {
            ready();
            long start = System.nanoTime();
            long operations = MapBenchmark.mixUntilStopped(map, () -> stopRequested);
            long nanos = System.nanoTime() - start;
            System.out.println("done operations=" + operations + " nanos=" + nanos);
        }
    }

    private static void lockHandoff(Path channelFile, boolean timed, List<String> lockArguments)
            throws InterruptedException {
        Channel channel = Channel.open(channelFile);
        long handoffs = 0;
        try (LockUnderTest lock = LockUnderTest.join(lockArguments)) {
            Lock write = lock.readWriteLock().writeLock();
            ready();
            int turn = channel.get(Channel.TURN);
            while (true) {
                turn = awaitChange(channel, Channel.TURN, turn);
                if (turn == Integer.MIN_VALUE) {
                    break;
                }
                // The benchmark holds it: the lock's own way of waiting.
                if (timed) {
                    channel.increment(Channel.ASKING);
                    if (!write.tryLock(1, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("The benchmark held the write lock for a minute");
                    }
                } else {
                    write.lock();
                }
                channel.increment(Channel.ACK);
                write.unlock();
                handoffs++;
            }
        }
        System.out.println("done handoffs=" + handoffs);
    }

    private static void holdWrite(List<String> lockArguments) {
        try (LockUnderTest lock = LockUnderTest.join(lockArguments)) {
            lock.readWriteLock().writeLock().lock();
            ready();
            while (!stopRequested) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            lock.readWriteLock().writeLock().unlock();
        }
        System.out.println("done");
    }

    /**
     * Starts {@code threads} threads blocked on the lock (held elsewhere) and returns when told to
     * stop; then the caller releases the lock or the benchmark already did.
     */
    private static void blockedWaiters(ReadWriteLock lock, String half, int threads) {
        Lock wanted = switch (half) {
            case "read" -> lock.readLock();
            case "write" -> lock.writeLock();
            default -> throw new IllegalArgumentException("Unknown lock half " + half + ": read or write");
        };
        AtomicInteger acquired = new AtomicInteger();
        long[] tids = new long[threads];
        CountDownLatch started = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread waiter = new Thread(() -> {
                tids[index] = Affinity.currentTid();
                started.countDown();
                wanted.lock();
                wanted.unlock();
                acquired.incrementAndGet();
            }, "waiter-" + i);
            waiter.setDaemon(true);
            waiter.start();
        }
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        ready(); // then the waiters' ids: PartnerProcess skips what comes before "ready"
        for (long tid : tids) {
            System.out.println("waiting " + tid);
        }
        System.out.flush();
        while (!stopRequested) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        System.out.println("done acquired=" + acquired.get());
    }

    private static void futexHandoff(Path channelFile) {
        Channel channel = Channel.open(channelFile);
        long address = channel.address(Channel.PING);
        ready();
        long wakeups = 0;
        while (channel.get(Channel.STOP) == 0 && !stopRequested) {
            int seen = channel.get(Channel.PING);
            while (channel.get(Channel.PING) == seen && channel.get(Channel.STOP) == 0 && !stopRequested) {
                Futex.await(address, seen, TimeUnit.SECONDS.toNanos(1));
            }
            channel.increment(Channel.ACK);
            wakeups++;
        }
        System.out.println("done wakeups=" + wakeups);
    }

    /**
     * Sleeps on a word with FUTEX_WAIT until it changes (outside anything measured): between
     * handoffs the partner is off the CPU, as in the raw-futex mode, and leaves the benchmark's
     * thread alone.
     *
     * @return the new value, or {@link Integer#MIN_VALUE} if the partner should stop
     */
    private static int awaitChange(Channel channel, int word, int seen) {
        long address = channel.address(word);
        while (true) {
            if (channel.get(Channel.STOP) != 0 || stopRequested) {
                return Integer.MIN_VALUE;
            }
            int now = channel.get(word);
            if (now != seen) {
                return now;
            }
            Futex.await(address, seen, TimeUnit.SECONDS.toNanos(1));
        }
    }

    private static void ready() {
        System.out.println("ready " + Affinity.currentTid());
        System.out.flush();
    }

    /** Standard input closing means the benchmark is done; if the work cannot stop, the process ends anyway. */
    private static void watchStandardInput() {
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // nothing is sent; only the end matters
                }
            } catch (IOException e) {
                // closed
            }
            stopRequested = true;
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(10));
            System.err.println("Partner did not stop within 10 s of its standard input closing; halting");
            Runtime.getRuntime().halt(2);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}

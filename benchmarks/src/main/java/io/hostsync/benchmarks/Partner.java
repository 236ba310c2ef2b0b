package io.hostsync.benchmarks;

import io.hostsync.internal.os.Futex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;

/**
 * The other processes of the multi-process benchmarks, started by {@link PartnerProcess} with
 * the benchmark's class path. It prints {@code ready <tid>} (the Linux thread id of the thread
 * that works, so that the benchmark can see in {@code /proc} where it sleeps), works until its
 * standard input closes or the benchmark sets {@link Channel#STOP}, prints {@code done ...} and
 * exits.
 *
 * <ul>
 *   <li>{@code workload <workload> <lock...>}: joins the lock ({@link LockUnderTest#join}) and
 *       runs the {@link Workload} on it in a loop; prints
 *       {@code done operations=<n> nanos=<t>}.</li>
 *   <li>{@code lock-handoff <channel> <lock...>}: sleeps on {@link Channel#TURN} until the
 *       benchmark holds the lock's write lock, asks for it (the lock's own way of waiting: spin,
 *       then sleep on its futex word, or block in {@code fcntl}), and when it gets it bumps
 *       {@link Channel#ACK}, releases it and goes back to sleep on TURN.</li>
 *   <li>{@code futex-handoff <channel>}: sleeps on {@link Channel#PING} with FUTEX_WAIT until
 *       the word changes, then bumps {@link Channel#ACK} and goes back to sleep.</li>
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
            case "workload" -> workload(Workload.of(args[1]), arguments.subList(2, arguments.size()));
            case "lock-handoff" -> lockHandoff(Path.of(args[1]), arguments.subList(2, arguments.size()));
            case "futex-handoff" -> futexHandoff(Path.of(args[1]));
            default -> throw new IllegalArgumentException("Unknown partner mode " + args[0]);
        }
    }

    private static void workload(Workload workload, List<String> lockArguments) {
        try (LockUnderTest lock = LockUnderTest.join(lockArguments)) {
            ready();
            long start = System.nanoTime();
            long operations = workload.runUntil(lock.readWriteLock(), () -> stopRequested);
            long nanos = System.nanoTime() - start;
            System.out.println("done operations=" + operations + " nanos=" + nanos);
        }
    }

    private static void lockHandoff(Path channelFile, List<String> lockArguments) {
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
                write.lock(); // the benchmark holds it: the lock's own way of waiting
                channel.increment(Channel.ACK);
                write.unlock();
                handoffs++;
            }
        }
        System.out.println("done handoffs=" + handoffs);
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

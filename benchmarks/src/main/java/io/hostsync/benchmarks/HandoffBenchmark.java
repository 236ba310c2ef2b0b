package io.hostsync.benchmarks;

import io.hostsync.internal.os.Futex;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
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
 * Handing the write lock to a writer of another process that is asleep in the kernel, against
 * the same wake-up done with a bare shared futex (the baseline). Contenders: hostsync (per
 * backend) and {@link FileChannelReadWriteLock} (the kernel's own lock handoff, {@code fcntl}).
 *
 * <p>Every invocation is prepared outside the timed part ({@code @Setup(Level.Invocation)}):
 * <ol>
 *   <li>this process takes the write lock (the partner has just released it);</li>
 *   <li>it bumps {@link Channel#TURN} and wakes the partner ({@link Partner}
 *       {@code lock-handoff}), asleep on that word since the last handoff; the partner asks for
 *       the write lock and waits the lock's own way (hostsync: spins through its spin phase,
 *       checks the owner's liveness and sleeps on the lock's futex word; FileChannel: blocks in
 *       {@code fcntl});</li>
 *   <li>this process polls {@code /proc/<pid>/task/<tid>/syscall} until the kernel reports the
 *       partner's thread off the CPU and parked there ({@link Proc.ParkWatch}: a futex wait on a
 *       word of the region's mapping in the partner, or a blocking fcntl lock request).</li>
 * </ol>
 * The timed part is then: {@code writeLock().unlock()}, and spin until the partner, woken,
 * has acquired the lock and bumped {@link Channel#ACK}. That is one handoff to a parked waiter,
 * plus the one cache-line transfer that tells us about it.
 *
 * <p>The baseline has the same shape with no lock: the partner ({@code futex-handoff}) sleeps in
 * {@code Futex.await} on {@link Channel#PING} (checked the same way through {@code /proc}); the
 * timed part bumps PING, calls {@code Futex.wakeAll} and spins until the partner bumps ACK.
 *
 * <p>{@code placement=pinned} pins this thread and the partner's to two different CPUs
 * ({@code taskset}), so that every handoff wakes a thread on an idle CPU. With
 * {@code placement=free} the scheduler places the woken thread, sometimes on the waker's CPU
 * (where it preempts the waker) and sometimes on the idle one, which on a small virtual machine
 * changes the cost several-fold from one handoff to the next.
 *
 * <p>The mode is {@code SampleTime}: besides the mean, JMH reports percentiles, and the median
 * is what to compare when a few handoffs are delayed by milliseconds (a preempted virtual CPU).
 * Redisson is not here: its waiter does not park in a way one can observe from outside (it
 * subscribes to a channel and waits on a Java semaphore, with network round trips in between);
 * its handoffs are part of {@link MixedBenchmark}.
 *
 * <p>Goal (docs/performance.md): hostsync's handoff at most 1.3x the raw futex one.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandoffBenchmark {

    private static final Duration PARK_TIMEOUT = Duration.ofSeconds(10);

    /** Where the two threads run: {@code pinned} to two CPUs, or {@code free}. */
    @State(Scope.Benchmark)
    public static class Placement {
        /** {@code pinned} or {@code free}. */
        @Param({ "pinned", "free" })
        public String placement;
    }

    /** A lock, the partner queueing for it, and the watch that tells when it has parked. */
    public abstract static class LockHandoff {
        LockUnderTest lock;
        Lock write;
        Channel channel;
        PartnerProcess partner;
        Proc.ParkWatch partnerParked;
        int ack;

        List<long[]> futexRanges = List.of();
        String placement;

        /** Starts the partner on the lock and finds where it will sleep. */
        void start(LockUnderTest lock, Placement placement) {
            start(lock, placement, "lock-handoff");
        }

        /** Starts the partner in a mode of {@link Partner} on the lock and finds where it will sleep. */
        void start(LockUnderTest lock, Placement placement, String partnerMode) {
            this.lock = lock;
            this.placement = placement.placement;
            write = lock.readWriteLock().writeLock();
            channel = Channel.create();
            List<String> arguments = new ArrayList<>(List.of(partnerMode, channel.file().toString()));
            arguments.addAll(lock.joinArguments());
            partner = PartnerProcess.start(arguments);
            Path sleepFile = lock.sleepFile();
            if (sleepFile != null) {
                futexRanges = Proc.mappings(partner.pid(), sleepFile);
                if (futexRanges.isEmpty()) {
                    throw new IllegalStateException("The partner has not mapped " + sleepFile);
                }
            }
            partnerParked = newParkWatch(sleepFile);
            Affinity.place(placement.placement, partner.tid());
        }

        /** Stops reading the partner's {@code /proc} files. */
        void closeWatches() {
            if (partnerParked != null) {
                partnerParked.close();
            }
        }

        /** @return the watch that tells when the partner's working thread has parked for the lock */
        Proc.ParkWatch newParkWatch(Path sleepFile) {
            return new Proc.ParkWatch(partner.pid(), partner.tid(), futexRanges, sleepFile == null,
                    lock.pollingWaiter());
        }

        /** Untimed: take the lock, let the partner queue for it, wait until it is parked. */
        @Setup(Level.Invocation)
        public void arm() {
            write.lock();
            ack = channel.get(Channel.ACK);
            int asking = channel.get(Channel.ASKING);
            channel.increment(Channel.TURN);
            Futex.wakeAll(channel.address(Channel.TURN));
            awaitParked(asking);
        }

        /**
         * Returns once the partner waits for the lock asleep in the kernel.
         *
         * @param asking {@link Channel#ASKING} before the partner was let go
         */
        void awaitParked(int asking) {
            partnerParked.await(PARK_TIMEOUT);
        }

        /** Stops the partner, deletes the lock and the channel. */
        @TearDown(Level.Trial)
        public void stop() {
            try {
                closeWatches();
                if (partner != null) {
                    channel.set(Channel.STOP, 1);
                    channel.increment(Channel.TURN);
                    Futex.wakeAll(channel.address(Channel.TURN));
                    System.out.println();
                    System.out.println("partner: " + partner.stop());
                }
            } finally {
                if (lock != null) {
                    lock.close();
                }
                if (channel != null) {
                    channel.delete();
                }
            }
        }
    }

    /** hostsync's default lock of a region of its own, on the backend of {@link HostsyncBackend}. */
    @State(Scope.Thread)
    public static class HostsyncHandoff extends LockHandoff {
        /** Opens the region and starts the partner. */
        @Setup(Level.Trial)
        public void open(HostsyncBackend backend, Placement placement) {
            start(LockUnderTest.hostsync(backend.backend), placement);
        }
    }

    /**
     * hostsync's default lock, the partner asking with {@code tryLock(timeout)}: its thread parks
     * in Java ({@code LockSupport.parkNanos}) and a relay thread of its JVM sleeps on the lock's
     * futex word and unparks it. Parked means both: the working thread in a futex wait after it
     * announced that it asks ({@link Channel#ASKING}), and a relay thread ({@code hostsync-relay-…})
     * in a futex wait on the region's mapping. With {@code placement=pinned} the relay is pinned
     * with the working thread's CPU.
     */
    @State(Scope.Thread)
    public static class HostsyncTimedHandoff extends LockHandoff {
        /** The first 15 characters of the relay threads' names: what {@code /proc/<pid>/task/<tid>/comm} shows. */
        private static final String RELAY_THREAD_NAME = "hostsync-relay-";

        private long relayTid = -1;
        private Proc.ParkWatch relayParked;
        /** Relay threads seen asleep: one per handoff when each wait starts a new relay. */
        private long relaysSeen;

        /** Opens a region on the default backend (whose relay thread it watches for) and starts the partner. */
        @Setup(Level.Trial)
        public void open(Placement placement) {
            start(LockUnderTest.hostsync(Regions.DEFAULT_BACKEND), placement, "timed-lock-handoff");
        }

        @Override
        Proc.ParkWatch newParkWatch(Path sleepFile) {
            // parkNanos: a futex wait on a word of the JVM's own, anywhere
            return new Proc.ParkWatch(partner.pid(), partner.tid(), futexRanges, false, true);
        }

        @Override
        void awaitParked(int asking) {
            long deadline = System.nanoTime() + PARK_TIMEOUT.toNanos();
            // Before ASKING moves, the partner may still sleep on TURN: a futex wait, but not the lock's.
            while (channel.get(Channel.ASKING) == asking) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("The partner did not ask for the lock within " + PARK_TIMEOUT);
                }
                Thread.onSpinWait();
            }
            partnerParked.await(PARK_TIMEOUT);
            while (true) {
                if (relayParked != null && parked(relayParked)) {
                    return; // the relay of the last handoff, still asleep for this one: no need to list the threads
                }
                List<Long> relays = Proc.threadsNamed(partner.pid(), RELAY_THREAD_NAME);
                for (long tid : relays) {
                    if (tid != relayTid) {
                        watchRelay(tid);
                    }
                    if (parked(relayParked)) {
                        return;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("No relay thread (" + RELAY_THREAD_NAME + "…) of partner process "
                            + partner.pid() + " slept on the region within " + PARK_TIMEOUT + "; found " + relays);
                }
                Thread.onSpinWait();
            }
        }

        /** A relay that ended since it was listed is not parked: its {@code /proc} file reads fail. */
        private static boolean parked(Proc.ParkWatch relay) {
            try {
                return relay.parked();
            } catch (UncheckedIOException e) {
                return false;
            }
        }

        private void watchRelay(long tid) {
            if (relayParked != null) {
                relayParked.close();
            }
            relayTid = tid;
            relaysSeen++;
            relayParked = new Proc.ParkWatch(partner.pid(), tid, futexRanges, false, false);
            Affinity.place(placement, tid);
        }

        @Override
        void closeWatches() {
            super.closeWatches();
            if (relayParked != null) {
                relayParked.close();
            }
            System.out.println();
            System.out.println("relay threads seen: " + relaysSeen);
        }
    }

    /** {@link FileChannelReadWriteLock} on a file of its own. */
    @State(Scope.Thread)
    public static class FileChannelHandoff extends LockHandoff {
        /** Creates the lock file and starts the partner. */
        @Setup(Level.Trial)
        public void open(Placement placement) {
            start(LockUnderTest.fileChannel(), placement);
        }
    }

    /** The baseline side: a channel whose PING word the partner sleeps on. */
    @State(Scope.Thread)
    public static class FutexHandoff {
        Channel channel;
        long ping;
        PartnerProcess partner;
        Proc.ParkWatch partnerParked;
        int ack;

        /** Creates the channel, starts the partner, finds PING in its mapping. */
        @Setup(Level.Trial)
        public void start(Placement placement) {
            channel = Channel.create();
            ping = channel.address(Channel.PING);
            partner = PartnerProcess.start("futex-handoff", channel.file().toString());
            List<long[]> pingWords = Proc.mappings(partner.pid(), channel.file()).stream()
                    .map(range -> new long[] { range[0] + Channel.PING, range[0] + Channel.PING + Integer.BYTES })
                    .toList();
            if (pingWords.isEmpty()) {
                throw new IllegalStateException("The partner has not mapped " + channel.file());
            }
            partnerParked = new Proc.ParkWatch(partner.pid(), partner.tid(), pingWords, false, false);
            Affinity.place(placement.placement, partner.tid());
        }

        /** Untimed: wait until the partner sleeps in the kernel on PING. */
        @Setup(Level.Invocation)
        public void arm() {
            partnerParked.await(PARK_TIMEOUT);
            ack = channel.get(Channel.ACK);
        }

        /** Stops the partner, deletes the channel. */
        @TearDown(Level.Trial)
        public void stop() {
            try {
                if (partnerParked != null) {
                    partnerParked.close();
                }
                if (partner != null) {
                    channel.set(Channel.STOP, 1);
                    channel.increment(Channel.PING);
                    Futex.wakeAll(ping);
                    System.out.println();
                    System.out.println("partner: " + partner.stop());
                }
            } finally {
                if (channel != null) {
                    channel.delete();
                }
            }
        }
    }

    /** Release the write lock to a writer of another process parked on it; spin until it has it. */
    @Benchmark
    public void hostsyncWriteHandoffToParked(HostsyncHandoff s) {
        s.write.unlock();
        s.channel.spinWhileEquals(Channel.ACK, s.ack);
    }

    /**
     * Release the write lock to a writer of another process waiting in {@code tryLock(timeout)}
     * (parked in Java, its JVM's relay thread asleep on the futex word); spin until it has it.
     */
    @Benchmark
    public void hostsyncTimedWriteHandoffToParked(HostsyncTimedHandoff s) {
        s.write.unlock();
        s.channel.spinWhileEquals(Channel.ACK, s.ack);
    }

    /** Release a FileChannel exclusive lock to another process blocked in fcntl; spin until it has it. */
    @Benchmark
    public void fileChannelWriteHandoffToParked(FileChannelHandoff s) {
        s.write.unlock();
        s.channel.spinWhileEquals(Channel.ACK, s.ack);
    }

    /** Baseline: bump a shared futex word and FUTEX_WAKE another process asleep on it; spin until it answers. */
    @Benchmark
    public void rawFutexWakeOfParked(FutexHandoff s) {
        s.channel.increment(Channel.PING);
        Futex.wakeAll(s.ping);
        s.channel.spinWhileEquals(Channel.ACK, s.ack);
    }
}

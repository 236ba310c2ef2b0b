package io.hostsync.benchmarks;

import io.hostsync.RegionLayout;
import io.hostsync.SharedRegion;
import io.hostsync.internal.Futex;
import java.time.Duration;
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
 * the same wake-up done with a bare shared futex.
 *
 * <p>Every invocation is prepared outside the timed part ({@code @Setup(Level.Invocation)}):
 * <ol>
 *   <li>this process takes the write lock (the partner has just released it);</li>
 *   <li>it bumps {@link Channel#TURN} and wakes the partner ({@link Partner}
 *       {@code lock-handoff}), asleep on that word since the last handoff; the partner calls
 *       {@code writeLock().lock()}, spins through the lock's spin phase, checks the owner's
 *       liveness and goes to sleep on the lock's futex word;</li>
 *   <li>this process polls {@code /proc/<pid>/task/<tid>/syscall} until the kernel reports the
 *       partner's thread off the CPU, in FUTEX_WAIT on that very word (its address computed from
 *       the partner's mapping of the region in {@code /proc/<pid>/maps}).</li>
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
 *
 * <p>Goal (docs/performance.md): the lock's handoff at most 1.3x the raw futex one.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandoffBenchmark {

    private static final Duration SLEEP_TIMEOUT = Duration.ofSeconds(10);

    /** Where the two threads run: {@code pinned} to two CPUs, or {@code free}. */
    @State(Scope.Benchmark)
    public static class Placement {
        /** {@code pinned} or {@code free}. */
        @Param({"pinned", "free"})
        public String placement;
    }

    /** The hostsync side: a region, its default lock, a channel and the partner. */
    @State(Scope.Thread)
    public static class LockHandoff {
        SharedRegion region;
        Lock write;
        Channel channel;
        PartnerProcess partner;
        Proc.FutexSleepWatch partnerSleep;
        int ack;

        /** Opens a region of its own, starts the partner and finds the lock's futex word in its mapping. */
        @Setup(Level.Trial)
        public void start(Placement placement) {
            region = SharedRegion.open(Regions.options(Regions.uniqueName()));
            write = region.lock().writeLock();
            channel = Channel.create();
            partner = PartnerProcess.start("lock-handoff", region.name(), channel.file().toString());
            // The default lock is lock 0; its futex word is LOCK_FUTEX_OFFSET into its record.
            long futexOffset = region.header().lockTableOffset() + RegionLayout.LOCK_FUTEX_OFFSET;
            List<Long> partnerFutex = Proc.mappings(partner.pid(), region.file()).stream().map(base -> base + futexOffset).toList();
            if (partnerFutex.isEmpty()) {
                throw new IllegalStateException("The partner has not mapped " + region.file());
            }
            partnerSleep = new Proc.FutexSleepWatch(partner.pid(), partner.tid(), partnerFutex);
            Affinity.place(placement.placement, partner.tid());
        }

        /** Untimed: take the lock, let the partner queue for it, wait until it sleeps in the kernel. */
        @Setup(Level.Invocation)
        public void arm() {
            write.lock();
            ack = channel.get(Channel.ACK);
            channel.increment(Channel.TURN);
            Futex.wakeAll(channel.address(Channel.TURN));
            partnerSleep.await(SLEEP_TIMEOUT);
        }

        /** Stops the partner, deletes the region and the channel. */
        @TearDown(Level.Trial)
        public void stop() {
            try {
                if (partnerSleep != null) {
                    partnerSleep.close();
                }
                if (partner != null) {
                    channel.set(Channel.STOP, 1);
                    channel.increment(Channel.TURN);
                    Futex.wakeAll(channel.address(Channel.TURN));
                    System.out.println();
                    System.out.println("partner: " + partner.stop());
                }
            } finally {
                Regions.closeAndDelete(region);
                if (channel != null) {
                    channel.delete();
                }
            }
        }
    }

    /** The baseline side: a channel whose PING word the partner sleeps on. */
    @State(Scope.Thread)
    public static class FutexHandoff {
        Channel channel;
        long ping;
        PartnerProcess partner;
        Proc.FutexSleepWatch partnerSleep;
        int ack;

        /** Creates the channel, starts the partner, finds PING in its mapping. */
        @Setup(Level.Trial)
        public void start(Placement placement) {
            channel = Channel.create();
            ping = channel.address(Channel.PING);
            partner = PartnerProcess.start("futex-handoff", channel.file().toString());
            List<Long> partnerFutex = Proc.mappings(partner.pid(), channel.file()).stream().map(base -> base + Channel.PING).toList();
            if (partnerFutex.isEmpty()) {
                throw new IllegalStateException("The partner has not mapped " + channel.file());
            }
            partnerSleep = new Proc.FutexSleepWatch(partner.pid(), partner.tid(), partnerFutex);
            Affinity.place(placement.placement, partner.tid());
        }

        /** Untimed: wait until the partner sleeps in the kernel on PING. */
        @Setup(Level.Invocation)
        public void arm() {
            partnerSleep.await(SLEEP_TIMEOUT);
            ack = channel.get(Channel.ACK);
        }

        /** Stops the partner, deletes the channel. */
        @TearDown(Level.Trial)
        public void stop() {
            try {
                if (partnerSleep != null) {
                    partnerSleep.close();
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

    /** Release the write lock to a writer of another process asleep on it; spin until it has it. */
    @Benchmark
    public void hostsyncWriteHandoffToParked(LockHandoff s) {
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

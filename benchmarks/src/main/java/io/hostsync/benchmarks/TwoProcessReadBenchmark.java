package io.hostsync.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two readers at once: while a second participant read-locks and unlocks the same lock in a
 * tight loop for the whole trial, this thread measures its own read lock+unlock pair. For the
 * locks shared between processes (hostsync, FileChannel, Redisson) the second reader is another
 * JVM ({@link Partner}); for the JVM-local ones ({@code ReentrantReadWriteLock}, the baseline,
 * and {@code StampedLock}) it is a second thread of this JVM, their way of having two readers.
 *
 * <p>{@code hostsyncReadPartnerOnOtherRegion} is a control: the partner process does the same
 * work on a region of its own, so nothing in memory is shared; what remains of the slowdown
 * against the single-process pair is the cost of two busy processes on the machine (shared
 * cores, caches, memory bandwidth), not of the lock. Each participant's own rate is printed at
 * the end of each fork.
 *
 * <p>Goal (docs/performance.md): hostsync at most 25 ns per pair.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TwoProcessReadBenchmark {

    /** hostsync, on the backend of {@link HostsyncBackend}, a partner process reading the same lock. */
    @State(Scope.Benchmark)
    public static class Hostsync extends Contender {
        /** Opens a region of its own and starts the partner. */
        @Setup(Level.Trial)
        public void open(HostsyncBackend backend) {
            open(LockUnderTest.hostsync(backend.backend), 1, Workload.READ_PAIRS);
        }
    }

    /** Control: hostsync (default backend) with the partner reading a lock of another region. */
    @State(Scope.Benchmark)
    public static class HostsyncSeparate extends Contender {
        private LockUnderTest measured;

        /** Opens two regions: one for the partner, one for this thread. */
        @Setup(Level.Trial)
        public void open() {
            measured = LockUnderTest.hostsync(Regions.DEFAULT_BACKEND);
            open(LockUnderTest.hostsync(Regions.DEFAULT_BACKEND), 1, Workload.READ_PAIRS);
            read = measured.readWriteLock().readLock();
            write = measured.readWriteLock().writeLock();
        }

        /** Deletes this thread's region (the partner's goes with {@link Contender#close()}). */
        @TearDown(Level.Trial)
        public void closeMeasured() {
            if (measured != null) {
                measured.close();
            }
        }
    }

    /** The baseline: a ReentrantReadWriteLock, a second thread reading it. */
    @State(Scope.Benchmark)
    public static class Rrwl extends Contender {
        /** Creates the lock and starts the second reader. */
        @Setup(Level.Trial)
        public void open() {
            open(LockUnderTest.reentrantReadWriteLock(), 1, Workload.READ_PAIRS);
        }
    }

    /** A StampedLock, a second thread reading it. */
    @State(Scope.Benchmark)
    public static class Stamped extends Contender {
        /** Creates the lock and starts the second reader. */
        @Setup(Level.Trial)
        public void open() {
            open(LockUnderTest.stampedLock(), 1, Workload.READ_PAIRS);
        }
    }

    /** FileChannel shared locks, a partner process taking them too. */
    @State(Scope.Benchmark)
    public static class FileChannelLock extends Contender {
        /** Creates the lock file and starts the partner. */
        @Setup(Level.Trial)
        public void open() {
            open(LockUnderTest.fileChannel(), 1, Workload.READ_PAIRS);
        }
    }

    /** Redisson's read lock, a partner process with a client of its own reading it too. */
    @State(Scope.Benchmark)
    public static class Redisson extends Contender {
        /** Starts the server, the client and the partner. */
        @Setup(Level.Trial)
        public void open() {
            open(LockUnderTest.redisson(), 1, Workload.READ_PAIRS);
        }
    }

    /** hostsync read lock + unlock while another process does the same on the same lock. */
    @Benchmark
    public long hostsyncRead(Hostsync s) {
        return Workload.pair(s.read);
    }

    /** Control: the same, the other process reading a lock of another region. */
    @Benchmark
    public long hostsyncReadPartnerOnOtherRegion(HostsyncSeparate s) {
        return Workload.pair(s.read);
    }

    /** Baseline: ReentrantReadWriteLock read lock + unlock while another thread does the same. */
    @Benchmark
    public long rrwlRead(Rrwl s) {
        return Workload.pair(s.read);
    }

    /** StampedLock read lock + unlock while another thread does the same. */
    @Benchmark
    public long stampedRead(Stamped s) {
        return Workload.pair(s.read);
    }

    /** FileChannel shared lock + release while another process does the same. */
    @Benchmark
    public long fileChannelRead(FileChannelLock s) {
        return Workload.pair(s.read);
    }

    /** Redisson read lock + unlock while another process does the same. */
    @Benchmark
    public long redissonRead(Redisson s) {
        return Workload.pair(s.read);
    }
}

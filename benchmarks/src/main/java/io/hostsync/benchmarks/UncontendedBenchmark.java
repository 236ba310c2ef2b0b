package io.hostsync.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread, one process, nobody else: a lock+unlock pair, read and write, of every
 * contender. hostsync's {@code RWLock} (the default lock of a fresh region, per backend) against
 * {@link ReentrantReadWriteLock} (the baseline), {@link java.util.concurrent.locks.StampedLock},
 * {@link FileChannelReadWriteLock} and Redisson's lock on a local redis-server.
 *
 * <p>Goals (docs/performance.md): read pair at most 1.5x, write pair at most 2x the
 * {@code ReentrantReadWriteLock} pair of the same run; both at least 1000x faster than Redisson's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class UncontendedBenchmark {

    /** hostsync, on the backend of {@link HostsyncBackend}. */
    @State(Scope.Benchmark)
    public static class Hostsync extends Contender {
        /** Opens a region of its own. */
        @Setup(Level.Trial)
        public void open(HostsyncBackend backend) {
            open(LockUnderTest.hostsync(backend.backend), 0, Workload.READ_PAIRS);
        }
    }

    /** The baseline: a {@link ReentrantReadWriteLock}. */
    @State(Scope.Benchmark)
    public static class Rrwl extends Contender {
        /** Creates the lock. */
        @Setup(Level.Trial)
        public void open() {
            open(LockUnderTest.reentrantReadWriteLock(), 0, Workload.READ_PAIRS);
        }
    }

    /** A {@link java.util.concurrent.locks.StampedLock}. */
    @State(Scope.Benchmark)
    public static class Stamped extends Contender {
        /** Creates the lock. */
        @Setup(Level.Trial)
        public void open() {
            open(LockUnderTest.stampedLock(), 0, Workload.READ_PAIRS);
        }
    }

    /** {@link FileChannelReadWriteLock} on a file in /dev/shm. */
    @State(Scope.Benchmark)
    public static class FileChannelLock extends Contender {
        /** Creates the lock file. */
        @Setup(Level.Trial)
        public void open() {
            open(LockUnderTest.fileChannel(), 0, Workload.READ_PAIRS);
        }
    }

    /** Redisson's read-write lock on a redis-server started for the trial. */
    @State(Scope.Benchmark)
    public static class Redisson extends Contender {
        /** Starts the server and the client. */
        @Setup(Level.Trial)
        public void open() {
            open(LockUnderTest.redisson(), 0, Workload.READ_PAIRS);
        }
    }

    /** hostsync read lock + unlock. */
    @Benchmark
    public long hostsyncRead(Hostsync s) {
        return Workload.pair(s.read);
    }

    /** hostsync write lock + unlock. */
    @Benchmark
    public long hostsyncWrite(Hostsync s) {
        return Workload.pair(s.write);
    }

    /** Baseline: ReentrantReadWriteLock read lock + unlock. */
    @Benchmark
    public long rrwlRead(Rrwl s) {
        return Workload.pair(s.read);
    }

    /** Baseline: ReentrantReadWriteLock write lock + unlock. */
    @Benchmark
    public long rrwlWrite(Rrwl s) {
        return Workload.pair(s.write);
    }

    /** StampedLock read lock + unlock. */
    @Benchmark
    public long stampedRead(Stamped s) {
        return Workload.pair(s.read);
    }

    /** StampedLock write lock + unlock. */
    @Benchmark
    public long stampedWrite(Stamped s) {
        return Workload.pair(s.write);
    }

    /** FileChannel shared lock + release. */
    @Benchmark
    public long fileChannelRead(FileChannelLock s) {
        return Workload.pair(s.read);
    }

    /** FileChannel exclusive lock + release. */
    @Benchmark
    public long fileChannelWrite(FileChannelLock s) {
        return Workload.pair(s.write);
    }

    /** Redisson read lock + unlock. */
    @Benchmark
    public long redissonRead(Redisson s) {
        return Workload.pair(s.read);
    }

    /** Redisson write lock + unlock. */
    @Benchmark
    public long redissonWrite(Redisson s) {
        return Workload.pair(s.write);
    }
}

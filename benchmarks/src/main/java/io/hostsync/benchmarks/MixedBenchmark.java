package io.hostsync.benchmarks;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of a 90/10 and a 99/1 read/write mix ({@link Workload#MIXED_90_10}: every tenth
 * operation writes; {@link Workload#MIXED_99_1}: every hundredth) with 1, 2, 4 and 8
 * participants on one lock: this thread, measured, and
 * {@code participants - 1} others doing the same for the whole trial. The others are processes
 * for the locks shared between processes (hostsync, FileChannel, Redisson) and threads of this
 * JVM for the JVM-local ones ({@code ReentrantReadWriteLock}, the baseline, and
 * {@code StampedLock}).
 *
 * <p>The score is the measured participant's own rate, operations per microsecond; all
 * participants run the same loop, so the host's total is about {@code participants} times it
 * (each other participant prints its own rate at the end of the fork). With 4 participants on a
 * 2-core machine, they take turns on the cores: that is part of what is measured.
 *
 * <p>Goal (issue 16): hostsync at least 1.0x {@code ReentrantReadWriteLock} at every count.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MixedBenchmark {

    /** How many participants use the lock, the measured thread included, and how often they write. */
    @State(Scope.Benchmark)
    public static class Participants {
        /** 1, 2, 4 or 8. */
        @Param({ "1", "2", "4", "8" })
        public int participants;

        /** Percent of operations that write: 10 ({@link Workload#MIXED_90_10}) or 1 ({@link Workload#MIXED_99_1}). */
        @Param({ "10", "1" })
        public int writePercent;

        Workload workload() {
            return Workload.mixedWithWritePercent(writePercent);
        }

        int others() {
            if (participants < 1) {
                throw new IllegalArgumentException("participants=" + participants + ": give at least 1");
            }
            return participants - 1;
        }
    }

    /** hostsync, on the backend of {@link HostsyncBackend}; the others are processes. */
    @State(Scope.Benchmark)
    public static class Hostsync extends Contender {
        /** Opens a region of its own and starts the others. */
        @Setup(Level.Trial)
        public void open(HostsyncBackend backend, Participants participants) {
            open(LockUnderTest.hostsync(backend.backend), participants.others(), participants.workload());
        }
    }

    /** The baseline: a ReentrantReadWriteLock; the others are threads. */
    @State(Scope.Benchmark)
    public static class Rrwl extends Contender {
        /** Creates the lock and starts the others. */
        @Setup(Level.Trial)
        public void open(Participants participants) {
            open(LockUnderTest.reentrantReadWriteLock(), participants.others(), participants.workload());
        }
    }

    /** A StampedLock; the others are threads. */
    @State(Scope.Benchmark)
    public static class Stamped extends Contender {
        /** Creates the lock and starts the others. */
        @Setup(Level.Trial)
        public void open(Participants participants) {
            open(LockUnderTest.stampedLock(), participants.others(), participants.workload());
        }
    }

    /** FileChannel locks; the others are processes. */
    @State(Scope.Benchmark)
    public static class FileChannelLock extends Contender {
        /** Creates the lock file and starts the others. */
        @Setup(Level.Trial)
        public void open(Participants participants) {
            open(LockUnderTest.fileChannel(), participants.others(), participants.workload());
        }
    }

    /** Redisson's read-write lock; the others are processes with clients of their own. */
    @State(Scope.Benchmark)
    public static class Redisson extends Contender {
        /** Starts the server, the client and the others. */
        @Setup(Level.Trial)
        public void open(Participants participants) {
            open(LockUnderTest.redisson(), participants.others(), participants.workload());
        }
    }

    /** @return the protected word */
    @Benchmark
    public long hostsync(Hostsync s) {
        return s.step();
    }

    /** @return the protected word */
    @Benchmark
    public long rrwl(Rrwl s) {
        return s.step();
    }

    /** @return the protected word */
    @Benchmark
    public long stamped(Stamped s) {
        return s.step();
    }

    /** @return the protected word */
    @Benchmark
    public long fileChannel(FileChannelLock s) {
        return s.step();
    }

    /** @return the protected word */
    @Benchmark
    public long redisson(Redisson s) {
        return s.step();
    }
}

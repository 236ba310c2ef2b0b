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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A host shaped like real Spring services: four JVMs of {@value #THREADS_PER_JVM} request
 * threads each, all reading one lock with 1 % writes ({@link Workload#MIXED_99_1}), against the
 * same {@value #THREADS} threads in one JVM on a {@code ReentrantReadWriteLock} (the baseline).
 *
 * <p>JMH runs {@value #THREADS_PER_JVM} measured threads in this JVM; the other
 * {@value #OTHER_THREADS} run the same loop for the whole trial: three {@link Partner} JVMs of
 * {@value #THREADS_PER_JVM} threads each for hostsync, threads of this JVM for the baseline. The
 * score is the measured threads' total rate, a quarter of the host's (each partner prints its
 * own at the end of the fork), so the two contenders' scores compare directly. On a 2-core
 * machine the 64 threads take turns on the cores; a thread preempted inside the lock is part of
 * what is measured.
 *
 * <p>Goal (issue 16): hostsync at least 1.0x {@code ReentrantReadWriteLock}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(ServiceShapeBenchmark.THREADS_PER_JVM)
public class ServiceShapeBenchmark {

    /** Request threads of each service JVM, and threads JMH measures here. */
    static final int THREADS_PER_JVM = 16;
    /** All the host's request threads. */
    static final int THREADS = 4 * THREADS_PER_JVM;
    /** The request threads besides the measured ones. */
    static final int OTHER_THREADS = THREADS - THREADS_PER_JVM;

    /** hostsync's default lock on the backend of {@link HostsyncBackend}; the others are three JVMs of 16 threads. */
    @State(Scope.Benchmark)
    public static class Hostsync extends Contender {
        /** Opens a region of its own and starts the other JVMs. */
        @Setup(Level.Trial)
        public void open(HostsyncBackend backend) {
            open(LockUnderTest.hostsync(backend.backend), OTHER_THREADS, THREADS_PER_JVM, Workload.MIXED_99_1);
        }
    }

    /** The baseline: a ReentrantReadWriteLock; the others are 48 threads of this JVM. */
    @State(Scope.Benchmark)
    public static class Rrwl extends Contender {
        /** Creates the lock and starts the other threads. */
        @Setup(Level.Trial)
        public void open() {
            open(LockUnderTest.reentrantReadWriteLock(), OTHER_THREADS, THREADS_PER_JVM, Workload.MIXED_99_1);
        }
    }

    /** Each measured thread's own step count and protected word, so that they share nothing but the lock. */
    @State(Scope.Thread)
    public static class RequestThread {
        final long[] data = new long[1];
        long operations;

        long step(Contender contender) {
            return Workload.MIXED_99_1.step(contender.read, contender.write, data, operations++);
        }
    }

    /** @return the protected word */
    @Benchmark
    public long hostsync(Hostsync s, RequestThread thread) {
        return thread.step(s);
    }

    /** @return the protected word */
    @Benchmark
    public long rrwl(Rrwl s, RequestThread thread) {
        return thread.step(s);
    }
}

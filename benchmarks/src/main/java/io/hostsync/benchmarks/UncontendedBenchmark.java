package io.hostsync.benchmarks;

import io.hostsync.SharedRegion;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread, one process, nobody else: a lock+unlock pair of the host-wide {@code RWLock}
 * (the default lock of a fresh region in {@code /dev/shm}) against the same pair of a
 * {@link ReentrantReadWriteLock} (non-fair, the default), read and write.
 *
 * <p>Goals (docs/performance.md): read pair at most 1.5x, write pair at most 2x the
 * {@code ReentrantReadWriteLock} pair of the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class UncontendedBenchmark {

    private SharedRegion region;
    private Lock hostsyncRead;
    private Lock hostsyncWrite;
    private final ReentrantReadWriteLock rrwl = new ReentrantReadWriteLock();
    private final Lock rrwlRead = rrwl.readLock();
    private final Lock rrwlWrite = rrwl.writeLock();

    /** Opens a region of its own. */
    @Setup(Level.Trial)
    public void open() {
        region = SharedRegion.open(Regions.options(Regions.uniqueName()));
        hostsyncRead = region.lock().readLock();
        hostsyncWrite = region.lock().writeLock();
    }

    /** Closes and deletes the region. */
    @TearDown(Level.Trial)
    public void close() {
        Regions.closeAndDelete(region);
    }

    /** hostsync read lock + unlock. */
    @Benchmark
    public void hostsyncRead() {
        hostsyncRead.lock();
        hostsyncRead.unlock();
    }

    /** Baseline: ReentrantReadWriteLock read lock + unlock. */
    @Benchmark
    public void rrwlRead() {
        rrwlRead.lock();
        rrwlRead.unlock();
    }

    /** hostsync write lock + unlock. */
    @Benchmark
    public void hostsyncWrite() {
        hostsyncWrite.lock();
        hostsyncWrite.unlock();
    }

    /** Baseline: ReentrantReadWriteLock write lock + unlock. */
    @Benchmark
    public void rrwlWrite() {
        rrwlWrite.lock();
        rrwlWrite.unlock();
    }
}

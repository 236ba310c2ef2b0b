package io.hostsync.benchmarks;

import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
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
 * A keyed lock's write lock+unlock against a named lock's (issue 17's goal: within 2x), robust
 * backend, one thread, uncontended. A keyed lock is asked for by key at every call, as a guarded
 * method with a key expression does ({@code region.lock("orders", key)}): once for the same key
 * (its record stays claimed while the lock object is held), and once for a new key out of 4096 at
 * every call, through a region of 16 lock records, so that every call claims a record and, the
 * table being full of idle keys, reclaims one first. A third keeps the keyed lock object, to
 * separate the look-up by key from the pins and checks of an acquisition.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyedLockBenchmark {

    private static final int KEYS = 4096;

    private SharedRegion region;
    private Lock named;
    private Lock keyedKept;
    private final String[] keys = new String[KEYS];
    private int next;

    /** Opens a region of its own (16 lock records, the default). */
    @Setup(Level.Trial)
    public void open() {
        region = SharedRegion.open(Regions.options(Regions.uniqueName()));
        named = region.lock("orders").writeLock();
        keyedKept = region.lock("orders", "order-0").writeLock();
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "order-" + i;
        }
    }

    /** Closes and deletes the region. */
    @TearDown(Level.Trial)
    public void close() {
        Regions.closeAndDelete(region);
    }

    /** Baseline: a named lock's write lock + unlock, the lock object kept. */
    @Benchmark
    public void namedWrite() {
        named.lock();
        named.unlock();
    }

    /** A keyed lock's write lock + unlock, the lock object kept: the pins and checks without the look-up. */
    @Benchmark
    public void keyedWriteLockKept() {
        keyedKept.lock();
        keyedKept.unlock();
    }

    /** A keyed lock's write lock + unlock, asked for by the same key at every call. */
    @Benchmark
    public void keyedWriteSameKey() {
        Lock lock = region.lock("orders", "order-1").writeLock();
        lock.lock();
        lock.unlock();
    }

    /** A keyed lock's write lock + unlock for a new key at every call (4096 keys, 16 records). */
    @Benchmark
    public void keyedWriteNewKey() {
        String key = keys[next];
        next = (next + 1) & (KEYS - 1);
        RWLock keyed = region.lock("orders", key);
        Lock lock = keyed.writeLock();
        lock.lock();
        lock.unlock();
    }
}

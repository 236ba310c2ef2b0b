package io.hostsync.internal.lock;

import io.hostsync.Backend;
import io.hostsync.LockHolder;
import io.hostsync.LockStatistics;
import io.hostsync.RWLock;
import io.hostsync.internal.region.RegionFile;
import java.util.List;

/**
 * The host-wide half of an {@link RWLock}, one implementation per {@link Backend}. It knows
 * processes, not threads: {@link RWLock} keeps the per-thread books (reentrancy, the writer
 * thread, upgrade refusal) above it and calls it only for a thread's first hold and last
 * release, telling it which is which.
 *
 * <p>Every implementation keeps the region's holder records (reads held, waits, acquisitions,
 * the writing flag) up to date, so that statistics, holders, metrics and the actuator endpoint
 * are the same whatever the backend.
 */
public interface LockBackend {

    String name();

    RegionFile region();

    /** One attempt to read-lock for a thread that holds nothing of this lock. */
    boolean tryAcquireRead();

    /** Read-locks for a thread that holds nothing, waiting up to {@code timeoutNanos} (negative: forever). */
    boolean acquireRead(long timeoutNanos, boolean interruptible) throws InterruptedException;

    /** Adds a read hold for a thread that already holds this lock, read or write: never waits. */
    void addReentrantRead();

    /**
     * Releases one read hold.
     *
     * @param lastOfThread whether it is the calling thread's last hold of this lock
     */
    void releaseRead(boolean lastOfThread);

    /** Write-locks, waiting up to {@code timeoutNanos} (0: no wait; negative: forever). */
    boolean acquireWrite(long timeoutNanos, boolean interruptible) throws InterruptedException;

    /**
     * Releases the write lock.
     *
     * @param stillReading whether the calling thread keeps read holds (a downgrade)
     */
    void releaseWrite(boolean stillReading);

    boolean isPossiblyTorn();

    /** Clears the torn mark; the caller holds the write lock. */
    void markConsistent();

    LockStatistics hostStatistics();

    List<LockHolder> holders();

    LockStatistics processStatistics();
}

package io.hostsync.benchmarks;

import java.util.concurrent.locks.Lock;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a benchmark holds for one contender during a trial: the {@link LockUnderTest}, its two
 * halves, the {@link OtherParticipants} using it meanwhile, and the measured thread's own
 * {@link Workload} state. The benchmarks' nested {@code @State} classes extend it, one per
 * contender, each with a {@code @Setup} that says which lock and how many others.
 */
public abstract class Contender {

    Lock read;
    Lock write;
    /** The word the mixed workload protects. */
    final long[] data = new long[1];
    /** Steps the measured thread has done. */
    long operations;
    private LockUnderTest lock;
    private OtherParticipants others;
    private Workload workload;

    /**
     * Opens the contender and starts its other participants.
     *
     * @param lock the lock under test
     * @param otherParticipants participants besides the measured thread
     * @param workload what they do
     */
    void open(LockUnderTest lock, int otherParticipants, Workload workload) {
        open(lock, otherParticipants, 1, workload);
    }

    /**
     * Opens the contender and starts its other participants, grouped into processes.
     *
     * @param lock the lock under test
     * @param otherParticipants participating threads besides the measured ones
     * @param threadsPerProcess how many of them each partner process runs (for a lock shared between processes)
     * @param workload what they do
     */
    void open(LockUnderTest lock, int otherParticipants, int threadsPerProcess, Workload workload) {
        this.lock = lock;
        this.workload = workload;
        this.read = lock.readWriteLock().readLock();
        this.write = lock.readWriteLock().writeLock();
        try {
            this.others = OtherParticipants.start(lock, otherParticipants, threadsPerProcess, workload);
        } catch (RuntimeException e) {
            lock.close();
            this.lock = null;
            throw e;
        }
    }

    /** @return one step of the workload (the one the other participants run) by the measured thread */
    long step() {
        return workload.step(read, write, data, operations++);
    }

    /** Stops the other participants, then closes (and if created here, deletes) the lock. */
    @TearDown(Level.Trial)
    public void close() {
        try {
            if (others != null) {
                others.close();
            }
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }
}

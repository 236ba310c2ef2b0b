package io.hostsync.state;

import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.internal.lock.HostMutex;
import io.hostsync.internal.lock.LockBackends;
import io.hostsync.internal.region.RegionFile;
import java.nio.MappedByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A counting semaphore shared by every process that opens the region. Each process's permits
 * are recorded in its own slot, so permits held by a process that dies return to the pool as
 * soon as another process confirms the death with the kernel (at its next acquisition, or
 * within one liveness interval for a waiter).
 *
 * <p>Unlike {@link java.util.concurrent.Semaphore}, a process may release only permits it holds.
 *
 * <p>Waiting: the threads of one JVM that must wait queue on a fair JVM-local lock, so that only
 * the first of them waits for the host; it sleeps on the mutex's changes word
 * ({@link HostMutex#awaitChange}), which a release moves (and a reclaim of dead holders' permits),
 * not on the mutex's own word, which every failed attempt by anyone would move. It wakes once per
 * liveness interval too, to see whether a holder died. As with a fair
 * {@link java.util.concurrent.Semaphore}, a thread of this JVM asking for few permits waits behind
 * one of the same JVM asking for many.
 *
 * <pre>
 *   +0   mutex guarding the books: {@link HostMutex}
 *   +64  permits (long)
 *   +128 permits held, one long per process slot
 * </pre>
 */
public final class SharedSemaphore {

    private static final int HELD = 128;

    private final String name;
    private final String regionName;
    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final int base;
    private final int permits;
    private final HostMutex mutex;
    /** Where this JVM's waiting threads queue, so that one of them at a time waits for the host. */
    private final ReentrantLock waiters = new ReentrantLock(true);

    SharedSemaphore(RegionFile region, EntryInfo entry) {
        this.name = entry.name();
        this.regionName = region.options.name();
        this.region = region;
        this.buffer = region.buffer;
        this.base = (int) entry.blockOffset();
        this.permits = (int) entry.parameter();
        this.mutex = new HostMutex(region, base, "Semaphore '" + name + "' of region '" + regionName + "'");
    }

    static long blockLength(int slots) {
        return HELD + (long) slots * Long.BYTES;
    }

    /** @return the entry's name */
    public String name() {
        return name;
    }

    /** @return the total number of permits */
    public int permits() {
        return permits;
    }

    /**
     * Takes permits, waiting as long as it takes.
     *
     * @param count how many
     * @throws InterruptedException if interrupted while waiting
     */
    public void acquire(int count) throws InterruptedException {
        tryAcquire(count, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Takes permits if they are available now.
     *
     * @param count how many
     * @return whether they were taken
     */
    public boolean tryAcquire(int count) {
        checkCount(count);
        return take(count);
    }

    /**
     * Takes permits, waiting up to a timeout.
     *
     * @param count how many
     * @param timeout the longest wait
     * @param unit its unit
     * @return whether they were taken
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean tryAcquire(int count, long timeout, TimeUnit unit) throws InterruptedException {
        checkCount(count);
        if (take(count)) {
            return true;
        }
        long nanos = unit.toNanos(timeout);
        boolean forever = nanos >= Long.MAX_VALUE / 2;
        long deadline = System.nanoTime() + nanos;
        if (forever) {
            waiters.lockInterruptibly();
        } else if (!waiters.tryLock(nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        try {
            while (!take(count)) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("Interrupted while waiting for semaphore '" + name + "'");
                }
                long remaining = forever ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                // Also a liveness check: a holder found dead counts as free, and the next take() reclaims it.
                mutex.awaitChange(Math.min(remaining, LockBackends.LIVENESS_NANOS),
                        () -> liveHeld(false) + count > permits);
            }
            return true;
        } finally {
            waiters.unlock();
        }
    }

    /**
     * Returns permits this process holds.
     *
     * @param count how many
     * @throws IllegalStateException if this process holds fewer
     */
    public void release(int count) {
        checkCount(count);
        mutex.lock();
        try {
            int mine = held(region.slot);
            long had = (long) LONGS.getVolatile(buffer, mine);
            if (had < count) {
                throw new IllegalStateException("This process holds " + had + " permit(s) of semaphore '" + name
                        + "' in region '" + regionName + "' and cannot release " + count);
            }
            LONGS.setVolatile(buffer, mine, had - count);
        } finally {
            mutex.unlock();
        }
        mutex.signalChange(); // the acquirers waiting in every process
    }

    /** @return permits not held by any live process */
    public int availablePermits() {
        return (int) (permits - liveHeld(false));
    }

    /** @return permits this process holds */
    public long heldByThisProcess() {
        return (long) LONGS.getVolatile(buffer, held(region.slot));
    }

    private boolean take(int count) {
        mutex.lock();
        try {
            if (liveHeld(true) + count > permits) {
                return false;
            }
            int mine = held(region.slot);
            LONGS.setVolatile(buffer, mine, (long) LONGS.getVolatile(buffer, mine) + count);
            return true;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Returns the permits live processes hold. With {@code reclaim} (only while holding the
     * mutex), what dead processes held is zeroed: their permits return to the pool.
     */
    private long liveHeld(boolean reclaim) {
        long total = 0;
        for (int slot = 0; slot < region.header.slotCapacity(); slot++) {
            int held = held(slot);
            long count = (long) LONGS.getVolatile(buffer, held);
            if (count != 0) {
                if (region.slots.isSlotActive(slot)) {
                    total += count;
                } else if (reclaim) {
                    LONGS.setVolatile(buffer, held, 0L);
                    mutex.signalChange(); // permits returned: other processes' acquirers may now fit
                }
            }
        }
        return total;
    }

    /**
     * Called by a process that has just claimed {@code slot}: permits recorded there belong to a
     * previous owner, now dead or gone.
     */
    static void reclaimSlot(MappedByteBuffer buffer, EntryInfo entry, int slot) {
        LONGS.setVolatile(buffer, (int) entry.blockOffset() + HELD + slot * Long.BYTES, 0L);
    }

    private int held(int slot) {
        return base + HELD + slot * Long.BYTES;
    }

    private void checkCount(int count) {
        if (count <= 0 || count > permits) {
            throw new IllegalArgumentException("Cannot take or return " + count + " permit(s) of semaphore '" + name
                    + "', which has " + permits);
        }
    }

    @Override
    public String toString() {
        return "SharedSemaphore[" + regionName + "/" + name + ", " + availablePermits() + " of " + permits + " free]";
    }
}

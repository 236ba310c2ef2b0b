package io.hostsync.internal.region;

import io.hostsync.RegionLostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Orders the close of a region with the lock operations of this JVM's threads, so that the
 * process slot is never released while one of them may still act for it: another process would
 * then find the slot dead, reclaim the lock, and let its writer in while ours is still inside (or
 * about to return from an acquisition).
 *
 * <p>A thread {@linkplain #enter() enters} when it starts taking a lock it does not hold yet, and
 * {@linkplain #leave() leaves} when that acquisition fails or when it releases its last hold of
 * the lock: {@link #inside} counts every acquisition in flight and every hold. Closing stops new
 * entries at once ({@link #enter()} then fails with the "is closed" message), wakes the waiters
 * so that they notice, and waits a bounded time for the count to reach zero. Whoever brings the
 * count to zero once closing has begun releases the slot, exactly once: the closing thread if the
 * holders left in time, else the thread that releases the last hold. A hold is therefore never
 * taken away: a lock still held when {@link #close} gives up keeps the slot claimed (and other
 * processes out) until it is released.
 *
 * <p>Cost on the lock's fast path: one atomic increment and one volatile read to enter, one atomic
 * decrement to leave. Ordering: {@link #enter()} increments, then reads the state; {@link #close}
 * writes the state, then reads the count. Both are sequentially consistent, so (Dekker's pattern)
 * either the entering thread sees the close, or the close sees the thread inside.
 */
public final class CloseGate {

    private static final int OPEN = 0;
    /** Closing has begun: nothing new may enter; those inside finish. */
    private static final int CLOSING = 1;
    /** The slot is released: its records may belong to another process. */
    private static final int RELEASED = 2;
    /**
     * The file was removed, replaced or truncated ({@link #lose}): nothing may enter, and holders may
     * not act either; {@link #close} then releases at once.
     */
    private static final int LOST = 3;

    private final String regionName;
    private final Path file;
    /** How messages name the region: {@code Region 'orders' (/dev/shm/hostsync-orders)}. */
    private final String region;
    private final Runnable release;
    private final AtomicInteger state = new AtomicInteger(OPEN);
    /** Why the region was lost, or null; written before the state turns {@link #LOST}. */
    private volatile String lostBecause;
    /** Acquisitions in flight plus holds, of every lock of the region, in this JVM. */
    private final AtomicLong inside = new AtomicLong();
    /** Called when closing begins, to wake this JVM's sleeping waiters so that they notice. */
    private final List<Runnable> wakers = new CopyOnWriteArrayList<>();

    /**
     * @param regionName the region, for messages and exceptions
     * @param file the region file, for messages and exceptions
     * @param release frees the process slot; run once, when nothing is inside any more
     */
    CloseGate(String regionName, Path file, Runnable release) {
        this.regionName = regionName;
        this.file = file;
        this.region = "Region '" + regionName + "' (" + file + ")";
        this.release = release;
    }

    /**
     * Enters before taking a lock this thread does not hold.
     *
     * @throws IllegalStateException if the region is closing or closed
     */
    public void enter() {
        inside.getAndIncrement();
        if (state.get() != OPEN) {
            leave();
            throw unusable();
        }
    }

    /**
     * Enters if the region is open, for work that may be skipped once it closes.
     *
     * @return whether it entered; if so, {@link #leave()} must follow
     */
    public boolean tryEnter() {
        inside.getAndIncrement();
        if (state.get() != OPEN) {
            leave();
            return false;
        }
        return true;
    }

    /** Leaves after a failed acquisition or the last release of a hold; may release the slot. */
    public void leave() {
        if (inside.decrementAndGet() == 0 && state.get() == CLOSING) {
            releaseIfNobodyInside();
        }
    }

    /** Registers what wakes this JVM's sleeping waiters of one lock when closing begins. */
    public void onClose(Runnable waker) {
        wakers.add(waker);
    }

    /** Whether closing has begun. */
    public boolean isClosed() {
        return state.get() != OPEN;
    }

    /**
     * Fails once closing has begun: for acquisitions and for waiters, which must give up.
     *
     * @throws IllegalStateException if the region is closing or closed
     */
    public void ensureOpen() {
        if (state.get() != OPEN) {
            throw unusable();
        }
    }

    /**
     * Fails once the slot is released: for holders, which may still release and re-enter what
     * they hold while the region closes. Never fails for a thread that entered and has not left.
     *
     * @throws IllegalStateException if the slot is released
     */
    public void ensureSlotOwned() {
        int current = state.get();
        if (current == RELEASED || current == LOST) {
            throw unusable();
        }
    }

    /**
     * Marks the region lost, unless closing has begun (a closing region keeps closing; the reason
     * is still recorded for messages).
     *
     * @param because what happened to the file and what to do
     * @return whether this call recorded the loss (false: it already was lost, or the slot is released)
     */
    synchronized boolean lose(String because) {
        if (lostBecause != null || state.get() == RELEASED) {
            return false;
        }
        lostBecause = because;
        state.compareAndSet(OPEN, LOST);
        return true;
    }

    /**
     * Why the region was lost.
     *
     * @return the reason, or null while it is not lost
     */
    public String lostBecause() {
        return lostBecause;
    }

    /**
     * Begins closing and waits up to {@code wait} for the threads inside to leave.
     *
     * @param wait how long to wait for acquisitions in flight to fail and holds to be released
     * @return the number of acquisitions and holds still inside (0: the slot is released)
     */
    long close(Duration wait) {
        if (state.compareAndSet(LOST, RELEASED)) {
            release.run(); // nothing of a lost region is shared any more: no hold to wait for
            return 0;
        }
        if (!state.compareAndSet(OPEN, CLOSING)) {
            return state.get() == RELEASED ? 0 : inside.get();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        long nextWake = 0;
        while (inside.get() != 0 && state.get() == CLOSING) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return inside.get();
            }
            if (now - nextWake >= 0) {
                wakers.forEach(Runnable::run); // again now and then: a waiter may have gone to sleep after the last wake
                nextWake = now + TimeUnit.MILLISECONDS.toNanos(20);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
        releaseIfNobodyInside();
        return state.get() == RELEASED ? 0 : inside.get();
    }

    private void releaseIfNobodyInside() {
        // A thread that enters now fails (the state is not OPEN) and leaves again: a zero seen
        // here stays a zero for everything that may act for the slot.
        if (inside.get() == 0 && state.compareAndSet(CLOSING, RELEASED)) {
            release.run();
        }
    }

    private RuntimeException unusable() {
        String because = lostBecause;
        return because != null && state.get() == LOST ? new RegionLostException(because, regionName, file, null)
                : closed();
    }

    private IllegalStateException closed() {
        return new IllegalStateException(region + " is closed: its locks can no longer be taken or released."
                + " Release locks before closing the region.");
    }
}

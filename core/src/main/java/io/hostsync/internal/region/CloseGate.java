package io.hostsync.internal.region;

import io.hostsync.RegionLostException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

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
 * <p>Who is inside is counted in two places: {@link #inside}, shared, for callers that keep no
 * per-thread books to hold a pass in (the crash-safe mutex, statistics: {@link #enter()},
 * {@link #leave()}); and one {@link Pass} per thread, written only by its thread, for the
 * {@code RWLock} fast paths
 * ({@link #enter(Pass)}, {@link #leave(Pass)}): entering is then one volatile store and one
 * volatile read on a line no other thread writes, and leaving one release store, where the shared
 * count costs an atomic increment and an atomic decrement on a line every thread writes.
 *
 * <p>Why a close still sees everyone inside. Entering writes the count (a volatile store or an
 * atomic increment), then reads the state; {@link #close} writes the state, then reads the counts.
 * Both are sequentially consistent, so (Dekker's pattern) either the entering thread sees the close
 * and leaves without touching the region, or the close sees it inside. The counts are read one
 * after the other, not at one instant, yet their sum is never too small: once closing has begun
 * nobody enters for good (an entry that sees the close is taken back on the same count), and each
 * thread enters and leaves on the same count, so a count read as zero stays zero; a sum of zero
 * therefore means nobody is inside. (This is why the per-thread counts are not a
 * {@code LongAdder}: its cells are chosen by contention, so a thread may add on one cell and take
 * back on another, and its sum can read zero while a hold is still counted.)
 *
 * <p>Leaving with a release store has no fence before it reads the state: the store may become
 * visible after that read, so a thread that leaves as the close begins may not see the close, and
 * the close may not yet see it gone. The close then polls again; if its wait ends before, a
 * daemon thread keeps polling until nobody is inside, so the slot is released all the same.
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
    private volatile @Nullable String lostBecause;
    /** Acquisitions in flight plus holds, of every lock of the region, in this JVM, entered without a {@link Pass}. */
    private final AtomicLong inside = new AtomicLong();
    /** Called when closing begins, to wake this JVM's sleeping waiters so that they notice. */
    private final List<Runnable> wakers = new CopyOnWriteArrayList<>();
    /** Every thread's pass, until its thread has ended with nothing inside. */
    private final Queue<Pass> passes = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Pass> passOfThread = ThreadLocal.withInitial(this::register);
    /** Passes registered since the last sweep of ended threads'. */
    private final AtomicInteger registeredSinceSweep = new AtomicInteger();

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

    /**
     * The calling thread's pass, for {@link #enter(Pass)} and {@link #leave(Pass)}: look it up once
     * and keep it with the thread's other books, since the lookup costs what the pass saves.
     *
     * @return the pass of the current thread
     */
    public Pass pass() {
        return passOfThread.get();
    }

    /**
     * Enters, as {@link #enter()} does, counting on the calling thread's own pass.
     *
     * @param pass the calling thread's {@link #pass()}
     * @throws IllegalStateException if the region is closing or closed
     */
    public void enter(Pass pass) {
        Pass.INSIDE.setVolatile(pass, pass.inside + 1); // volatile: ordered before the read of the state below
        if (state.get() != OPEN) {
            leave(pass);
            throw unusable();
        }
    }

    /**
     * Leaves, as {@link #leave()} does, from the pass the calling thread entered with.
     *
     * @param pass the calling thread's {@link #pass()}
     */
    public void leave(Pass pass) {
        Pass.INSIDE.setRelease(pass, pass.inside - 1);
        if (state.get() == CLOSING) {
            releaseIfNobodyInside();
        }
    }

    private Pass register() {
        Pass pass = new Pass(Thread.currentThread());
        passes.add(pass);
        if (registeredSinceSweep.incrementAndGet() >= 1024) { // threads come and go (virtual ones by the million)
            registeredSinceSweep.set(0);
            passes.removeIf(Pass::isAbandoned);
        }
        return pass;
    }

    /** The passes kept now: those of live threads and of ended ones still inside, and of ended ones not swept yet. */
    int registeredPasses() {
        return passes.size();
    }

    /** Acquisitions in flight plus holds, of every lock of the region, in this JVM: never less than the truth once closing. */
    private long countInside() {
        long count = inside.get();
        for (Pass pass : passes) {
            count += (long) Pass.INSIDE.getVolatile(pass);
        }
        return count;
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
    public @Nullable String lostBecause() {
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
            return state.get() == RELEASED ? 0 : countInside();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        long nextWake = 0;
        while (countInside() != 0 && state.get() == CLOSING) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                releaseOnceNobodyIsInside();
                return countInside();
            }
            if (now - nextWake >= 0) {
                wakers.forEach(Runnable::run); // again now and then: a waiter may have gone to sleep after the last wake
                nextWake = now + TimeUnit.MILLISECONDS.toNanos(20);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
        releaseIfNobodyInside();
        return state.get() == RELEASED ? 0 : countInside();
    }

    private void releaseIfNobodyInside() {
        // A thread that enters now fails (the state is not OPEN) and leaves again: a zero seen
        // here stays a zero for everything that may act for the slot.
        if (countInside() == 0 && state.compareAndSet(CLOSING, RELEASED)) {
            release.run();
        }
    }

    /**
     * After the close stopped waiting: the last holder to leave releases the slot, but one that
     * left with a release store as the close began may have missed it (see the class comment), so
     * a daemon thread looks again now and then until the slot is released.
     */
    private void releaseOnceNobodyIsInside() {
        Thread poller = new Thread(() -> {
            long interval = TimeUnit.MILLISECONDS.toNanos(50);
            while (state.get() == CLOSING) {
                releaseIfNobodyInside();
                LockSupport.parkNanos(interval);
                interval = Math.min(interval * 2, TimeUnit.SECONDS.toNanos(1)); // a hold may last long
            }
        }, "hostsync-close-" + region);
        poller.setDaemon(true);
        poller.start();
    }

    /**
     * One thread's count of acquisitions in flight and holds, for {@link #enter(Pass)} and
     * {@link #leave(Pass)}: written only by that thread (volatile to enter, release to leave), read
     * by a close. Keeps its thread only weakly, so that an ended thread's pass can be dropped.
     */
    public static final class Pass {

        static final VarHandle INSIDE;

        static {
            try {
                INSIDE = MethodHandles.lookup().findVarHandle(Pass.class, "inside", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final WeakReference<Thread> thread;
        /** Plain reads are the owning thread's own; everyone else reads it through {@link #INSIDE}. */
        long inside;

        Pass(Thread thread) {
            this.thread = new WeakReference<>(thread);
        }

        /** Whether its thread ended with nothing inside, so that nothing can enter or leave on it any more. */
        boolean isAbandoned() {
            Thread owner = thread.get();
            return (owner == null || !owner.isAlive()) && (long) INSIDE.getVolatile(this) == 0;
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

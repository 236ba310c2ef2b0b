package io.hostsync;

import io.hostsync.internal.lock.LockBackend;
import io.hostsync.internal.region.CloseGate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * A read-write lock shared by every process on the host that opens the same region: writers
 * exclude everyone in every process, readers share. Obtained from {@link SharedRegion#lock()} or
 * {@link SharedRegion#lock(String)}; every call for the same lock in one JVM returns the same
 * instance.
 *
 * <p>Within a JVM it behaves like {@link java.util.concurrent.locks.ReentrantReadWriteLock}:
 * <ul>
 *   <li>read and write locks are reentrant per thread;</li>
 *   <li>a thread holding the write lock may take the read lock, then release the write lock
 *       (downgrade);</li>
 *   <li>a thread holding only the read lock that asks for the write lock gets a
 *       {@link LockUpgradeException} at once, never a deadlock;</li>
 *   <li>{@code unlock} by a thread that holds nothing throws {@link IllegalMonitorStateException};</li>
 *   <li>virtual threads may use it: ownership belongs to the thread, not its carrier, and a
 *       blocked virtual thread parks in Java, leaving its carrier free.</li>
 * </ul>
 *
 * <p>Across processes it is fair both ways (a writer is not starved by a stream of readers, nor
 * readers by a stream of writers), and it survives {@code kill -9}: when a holder or waiter dies
 * at any instant, the others confirm the death with the kernel within one liveness interval of
 * their next check and reclaim its share. If a writer died while holding the lock, the lock is
 * marked {@linkplain #isPossiblyTorn() possibly torn} until a writer calls
 * {@link #markConsistent()}, as {@code EOWNERDEAD} does for robust mutexes.
 *
 * <p>{@code lock()} waits in the kernel and notices no interrupt; {@code lockInterruptibly()} and
 * {@code tryLock(time, unit)} respond to interrupts at once.
 *
 * <p>Once its region starts closing, the lock refuses new acquisitions, and threads waiting for it
 * give up, with an {@link IllegalStateException}. A hold is never taken away by a close: threads
 * that hold the lock may still re-enter and release it, and the process keeps its slot (so other
 * processes stay out) until the last hold is released.
 *
 * <p>One class of about 500 lines, like the JDK's {@code ReentrantReadWriteLock}: the read and
 * write halves share the per-thread books, the close gate and the reentrancy rules, and are
 * checked against each other when read together.
 */
public final class RWLock implements ReadWriteLock {

    /**
     * The most read holds the threads of one process may have on one lock at once (reentrant
     * holds counted each); one more is refused with an {@link Error}, as
     * {@link java.util.concurrent.locks.ReentrantReadWriteLock} refuses its 65,536th. The region
     * counts a process's holds in 24 bits, and this limit leaves room below their wrap.
     */
    public static final int MAX_READ_HOLDS = (1 << 24) - (1 << 16);

    /** Default interval between liveness checks of a blocked waiter. */
    public static final long DEFAULT_LIVENESS_INTERVAL_MILLIS = 50;

    private final LockBackend host;
    /**
     * Orders the region's close with this lock's use: a thread enters it before taking the lock
     * while holding nothing of it, and leaves it when that fails or when it releases its last hold.
     */
    private final CloseGate gate;
    private final ThreadLocal<HoldCount> reads;
    /**
     * The read books of the thread that acquired last, so that a thread that locks and unlocks in
     * turn skips the {@link ThreadLocal} lookup, as the JDK's {@code cachedHoldCounter} does.
     * Read and written racily: a thread uses what it finds only if it names that thread (final
     * fields make the name safe to read), and only that thread ever changes those books.
     */
    private @Nullable HoldCount lastReader;
    private final ReadLock readLock = new ReadLock();
    private final WriteLock writeLock = new WriteLock();

    /** The thread of this JVM that holds the write lock; written and compared only by that thread. */
    private @Nullable Thread writer;
    private int writeHolds;

    RWLock(LockBackend host) {
        this.host = host;
        this.gate = host.region().gate;
        this.reads = ThreadLocal.withInitial(() -> new HoldCount(gate.pass()));
    }

    /** @return the lock's name in its region */
    public String name() {
        return host.name();
    }

    /** @return the backend of the lock's region */
    public Backend backend() {
        return host.region().header.backend();
    }

    /** @return the name of the region the lock lives in */
    public String regionName() {
        return host.region().options.name();
    }

    @Override
    public Lock readLock() {
        return readLock;
    }

    @Override
    public Lock writeLock() {
        return writeLock;
    }

    /**
     * Tells whether a writer died while holding this lock, so the data it protects may be half
     * written, and no writer has called {@link #markConsistent()} since.
     *
     * @return {@code true} if possibly torn
     */
    public boolean isPossiblyTorn() {
        return host.isPossiblyTorn();
    }

    /**
     * Declares the protected data consistent again, clearing the possibly-torn mark. Call it
     * holding the write lock, after repairing or checking the data.
     *
     * @throws IllegalMonitorStateException if this thread does not hold the write lock
     */
    public void markConsistent() {
        if (writer != Thread.currentThread()) {
            throw new IllegalMonitorStateException("markConsistent() needs the write lock of '" + name()
                    + "' held by this thread");
        }
        host.markConsistent();
    }

    /** @return whether this thread holds the write lock */
    public boolean isWriteLockedByCurrentThread() {
        return writer == Thread.currentThread();
    }

    /** @return this thread's read holds */
    public int getReadHoldCount() {
        return readHolds().count;
    }

    /** @return this thread's write holds */
    public int getWriteHoldCount() {
        return writer == Thread.currentThread() ? writeHolds : 0;
    }

    /**
     * Figures for every process on the host, read from the region.
     *
     * @return host-wide statistics
     */
    public LockStatistics hostStatistics() {
        return host.hostStatistics();
    }

    /**
     * The live processes that hold or wait for this lock now. A write hold is identified by
     * the writer's slot and its {@link LockHolder#writeAcquisitions()}: a monitor that sees the
     * same pair twice knows the same hold lasted between its two looks.
     *
     * @return holders and waiters, by slot
     */
    public java.util.List<LockHolder> holders() {
        return host.holders();
    }

    /**
     * Figures for this process alone: its holds and waits now, and what it counted since it
     * first used this lock; {@link LockStatistics#writerSlot()} is this process's slot while one
     * of its threads owns the write lock, else -1.
     *
     * @return this process's statistics
     */
    public LockStatistics processStatistics() {
        return host.processStatistics();
    }

    @Override
    public String toString() {
        return "RWLock[" + regionName() + "/" + name() + "]";
    }

    private static long nanos(long time, TimeUnit unit) {
        return Math.max(0, unit.toNanos(time));
    }

    /** Ends the gate's span of an acquisition that failed or threw: the thread holds nothing. */
    private void leaveUnless(HoldCount holds, boolean acquired) {
        if (!acquired) {
            gate.leave(holds.pass);
        }
    }

    /**
     * This thread's read books, for an acquisition: remembered in {@link #lastReader} when they
     * were not there already, so that this thread's next call finds them without a lookup.
     */
    private HoldCount readHoldsRemembered() {
        HoldCount cached = lastReader;
        if (cached != null && cached.thread == Thread.currentThread().getId()) {
            return cached;
        }
        HoldCount holds = reads.get();
        lastReader = holds;
        return holds;
    }

    /**
     * This thread's read books, for a release or a question: changes nothing shared, as the JDK's
     * release only reads its cache (a write on every miss would bounce the lock's cache line
     * between the threads that take turns).
     */
    private HoldCount readHolds() {
        HoldCount cached = lastReader;
        return cached != null && cached.thread == Thread.currentThread().getId() ? cached : reads.get();
    }

    /** One thread's read holds of this lock, and its pass through the region's close gate. */
    private static final class HoldCount {
        /** The owning thread's id (never reused in a JVM), not the thread: a cache must not keep a dead thread reachable. */
        final long thread = Thread.currentThread().getId();
        /** Entered before the thread's first hold of this lock, left after its last. */
        final CloseGate.Pass pass;
        int count;

        HoldCount(CloseGate.Pass pass) {
            this.pass = pass;
        }
    }

    /**
     * A fault of a memory access to the region (HotSpot's asynchronous {@link InternalError} after
     * its file was truncated) becomes the region's loss, so that the caller stops instead of
     * retrying. Caught where a lock call already has a {@code try}: the blocking acquisitions.
     */
    private RegionLostException lost(InternalError fault) {
        return host.region().lostBy(fault);
    }

    /** The read half. */
    private final class ReadLock implements Lock {

        @Override
        public void lock() {
            HoldCount holds = readHoldsRemembered();
            if (!reenter(holds)) {
                acquireUninterruptibly(holds);
            }
        }

        private void acquireUninterruptibly(HoldCount holds) {
            gate.enter(holds.pass);
            boolean acquired = false;
            try {
                host.acquireRead(-1, false);
                acquired = true;
            } catch (InterruptedException e) {
                throw new AssertionError("an uninterruptible wait was interrupted", e);
            } catch (InternalError fault) {
                throw lost(fault);
            } finally {
                leaveUnless(holds, acquired);
            }
            holds.count++;
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            HoldCount holds = readHoldsRemembered();
            if (!reenter(holds)) {
                gate.enter(holds.pass);
                boolean acquired = false;
                try {
                    host.acquireRead(-1, true);
                    acquired = true;
                } finally {
                    leaveUnless(holds, acquired);
                }
                holds.count++;
            }
        }

        @Override
        public boolean tryLock() {
            HoldCount holds = readHoldsRemembered();
            if (reenter(holds)) {
                return true;
            }
            gate.enter(holds.pass);
            boolean acquired = false;
            try {
                acquired = host.tryAcquireRead();
            } finally {
                leaveUnless(holds, acquired);
            }
            if (acquired) {
                holds.count++;
            }
            return acquired;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            HoldCount holds = readHoldsRemembered();
            if (reenter(holds)) {
                return true;
            }
            gate.enter(holds.pass);
            boolean acquired = false;
            try {
                acquired = host.acquireRead(nanos(time, unit), true);
            } finally {
                leaveUnless(holds, acquired);
            }
            if (acquired) {
                holds.count++;
            }
            return acquired;
        }

        /** A thread that holds this lock already, read or write, reads again without waiting. */
        private boolean reenter(HoldCount holds) {
            if (holds.count > 0 || writer == Thread.currentThread()) {
                host.addReentrantRead();
                holds.count++;
                return true;
            }
            return false;
        }

        @Override
        public void unlock() {
            HoldCount holds = readHolds();
            if (holds.count == 0) {
                throw new IllegalMonitorStateException("Thread " + Thread.currentThread().getName()
                        + " does not hold the read lock of '" + name() + "' in region '" + regionName() + "'");
            }
            holds.count--;
            try {
                host.releaseRead(holds.count == 0);
            } finally {
                if (holds.count == 0 && writer != Thread.currentThread()) {
                    gate.leave(holds.pass); // the thread's last hold of this lock
                }
            }
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("Read locks have no conditions");
        }
    }

    /** The write half. */
    private final class WriteLock implements Lock {

        @Override
        public void lock() {
            HoldCount holds = readHoldsRemembered();
            if (!reenter(holds)) {
                gate.enter(holds.pass);
                boolean acquired = false;
                try {
                    host.acquireWrite(-1, false);
                    acquired = true;
                } catch (InterruptedException e) {
                    throw new AssertionError("an uninterruptible wait was interrupted", e);
                } catch (InternalError fault) {
                    throw lost(fault);
                } finally {
                    leaveUnless(holds, acquired);
                }
                own();
            }
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            HoldCount holds = readHoldsRemembered();
            if (!reenter(holds)) {
                gate.enter(holds.pass);
                boolean acquired = false;
                try {
                    host.acquireWrite(-1, true);
                    acquired = true;
                } finally {
                    leaveUnless(holds, acquired);
                }
                own();
            }
        }

        @Override
        public boolean tryLock() {
            HoldCount holds = readHoldsRemembered();
            if (reenter(holds)) {
                return true;
            }
            gate.enter(holds.pass);
            boolean acquired = false;
            try {
                acquired = host.acquireWrite(0, false);
            } catch (InterruptedException e) {
                throw new AssertionError("a wait of zero was interrupted", e);
            } catch (InternalError fault) {
                throw lost(fault);
            } finally {
                leaveUnless(holds, acquired);
            }
            if (acquired) {
                own();
            }
            return acquired;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            HoldCount holds = readHoldsRemembered();
            if (reenter(holds)) {
                return true;
            }
            gate.enter(holds.pass);
            boolean acquired = false;
            try {
                acquired = host.acquireWrite(nanos(time, unit), true);
            } finally {
                leaveUnless(holds, acquired);
            }
            if (acquired) {
                own();
            }
            return acquired;
        }

        private boolean reenter(HoldCount holds) {
            Thread current = Thread.currentThread();
            if (writer == current) {
                if (writeHolds == Integer.MAX_VALUE) {
                    throw new Error("Maximum write lock count (" + Integer.MAX_VALUE + ") of lock '" + name()
                            + "' in region '" + regionName() + "' exceeded by thread " + current.getName()
                            + ". Release every write lock you take, in a finally block.");
                }
                writeHolds++;
                return true;
            }
            if (holds.count > 0) {
                throw new LockUpgradeException("Thread " + current.getName() + " holds the read lock of '" + name()
                        + "' in region '" + regionName() + "' and asked for its write lock. Upgrading is refused"
                        + " because two threads doing it at once would deadlock: release the read lock first, or take"
                        + " the write lock from the start and downgrade it.");
            }
            return false;
        }

        private void own() {
            writer = Thread.currentThread();
            writeHolds = 1;
        }

        @Override
        public void unlock() {
            if (writer != Thread.currentThread()) {
                throw new IllegalMonitorStateException("Thread " + Thread.currentThread().getName()
                        + " does not hold the write lock of '" + name() + "' in region '" + regionName() + "'");
            }
            if (--writeHolds == 0) {
                writer = null;
                HoldCount holds = readHolds();
                boolean stillReading = holds.count > 0;
                try {
                    host.releaseWrite(stillReading);
                } finally {
                    if (!stillReading) {
                        gate.leave(holds.pass); // the thread's last hold of this lock; a downgrade keeps it inside
                    }
                }
            }
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("hostsync locks have no conditions: a condition cannot be signalled"
                    + " across processes. Use SharedState values and polling, or a JVM-local lock.");
        }
    }
}

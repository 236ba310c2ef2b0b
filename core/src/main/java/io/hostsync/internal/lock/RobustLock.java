package io.hostsync.internal.lock;

import static io.hostsync.internal.lock.LockWord.*;
import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.HostsyncException;
import io.hostsync.RWLock;
import io.hostsync.RegionHeader;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.region.RegionLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;

/**
 * The {@code robust} backend, hostsync's default: the host-wide half of an {@link RWLock}, as a protocol on one lock record of a region, shared by
 * every process that maps it. It knows processes (slots), not threads: every thread of this JVM
 * acts for this JVM's slot, and {@link RWLock} keeps the per-thread books above it.
 *
 * <p>Its state is one {@link LockWord} per lock record, changed with compare-and-set.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li>Read: add one to this slot's holder record (only this process writes that cache line),
 *       then read the state word (the add is a full fence: Dekker's pattern against the writer's
 *       CAS). No owner, and no waiting writer unless in a reader phase: acquired. Otherwise
 *       take the one back and wait.</li>
 *   <li>Write: CAS the owner into the state word, then wait until every slot in the lock's
 *       reader bitmap has no read held. Then set this slot's "writing" flag.</li>
 *   <li>Waiting: spin briefly, then sleep on the shared futex word, at most one liveness
 *       interval at a time. Before the first sleep and after every interval, confirm with the
 *       kernel (the slot's OFD lock) that the owner and the readers being waited for are
 *       alive; reclaim what the dead held.</li>
 * </ul>
 *
 * <h2>Fairness</h2>
 * A writer takes the owner field as soon as no other writer has it, so readers arriving after it
 * wait: a stream of overlapping readers cannot starve it. A writer that releases while readers
 * wait opens a reader phase: the next writer waits until those readers are in, so a stream of
 * writers cannot starve readers either. Writers among themselves are not ordered.
 *
 * <p>One class, over 400 lines, on purpose: acquire, release and dead-owner recovery all change
 * the same {@link LockWord} under the same invariants, and are checked against each other when
 * read together. How a thread waits is in {@link FutexWaiter}.
 */
final class RobustLock extends RecordedLock {

    private static final VarHandle ZERO_WAIT_CHECK;

    static {
        try {
            ZERO_WAIT_CHECK = MethodHandles.lookup().findVarHandle(RobustLock.class, "lastZeroWaitCheck", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int state;
    private final int bitmap;
    private final int bitmapWords;
    private final long myOwnerBits;
    private final long myBitmapWord;
    private final int myBitmapOffset;
    private final long livenessNanos;
    /** When a zero-timeout attempt last checked liveness ({@link #recheckedAfterLiveness()}). */
    private volatile long lastZeroWaitCheck;

    private final FutexWaiter waiter;

    RobustLock(RegionFile region, int index, String name, long livenessNanos) {
        super(region, index, name);
        RegionHeader header = region.header;
        this.state = record;
        this.bitmap = state + RegionLayout.LOCK_READER_BITMAP_OFFSET;
        this.bitmapWords = (header.slotCapacity() + 63) / 64;
        this.myOwnerBits = ownerBits(region.slot, region.generation);
        this.myBitmapOffset = bitmap + (mySlot / 64) * Long.BYTES;
        this.myBitmapWord = 1L << (mySlot % 64);
        this.livenessNanos = livenessNanos;
        this.lastZeroWaitCheck = System.nanoTime() - livenessNanos;
        int futex = state + RegionLayout.LOCK_FUTEX_OFFSET;
        this.waiter = new FutexWaiter(name, "hostsync-relay-" + region.options.name() + "-" + name, buffer, futex,
                region.address + futex, livenessNanos, () -> setBits(SLEEPERS), this::checkLiveness);
        region.gate.onClose(waiter::wakeAll); // sleeping waiters notice the close at once
    }

    // ------------------------------------------------------------------ read

    /**
     * Read-locks without waiting, honouring a waiting writer. When blocked, it may ask the kernel
     * whether the blocker is dead ({@link #recheckedAfterLiveness()}) and try once more.
     */
    @Override
    public boolean tryAcquireRead() {
        return attemptRead() || (recheckedAfterLiveness() && attemptRead());
    }

    /** One attempt to read-lock, honouring a waiting writer. */
    private boolean attemptRead() {
        region.ensureOpen();
        if (((long) LONGS.getOpaque(buffer, myBitmapOffset) & myBitmapWord) == 0) {
            LONGS.getAndBitwiseOr(buffer, myBitmapOffset, myBitmapWord); // once per slot: writers now look at us
        }
        addReadHold();
        if (readable((long) LONGS.getVolatile(buffer, state))) {
            return true;
        }
        releaseReadHold(1 + READ_ACQUISITION);
        return false;
    }

    /** Adds a read hold for a thread that already holds this lock (read or write): no wait. */
    @Override
    public void addReentrantRead() {
        region.gate.ensureSlotOwned();
        addReadHold();
    }

    /** Read-locks, waiting up to {@code timeoutNanos} (negative: forever). */
    @Override
    public boolean acquireRead(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (timeoutNanos == 0) {
            return tryAcquireRead();
        }
        if (attemptRead()) {
            return true;
        }
        long start = System.nanoTime();
        FutexWaiter.Wait waiting = waiter.begin(start, timeoutNanos, interruptible);
        INTS.getAndAdd(buffer, myHolder + RegionLayout.HOLDER_WAITING_READERS_OFFSET, 1);
        boolean acquired = false;
        boolean timedOut = false;
        try {
            while (true) {
                setBits(READERS_WAITING);
                if (attemptRead()) {
                    acquired = true;
                    return true;
                }
                if (!waiting.pause(() -> !readable((long) LONGS.getVolatile(buffer, state)))) {
                    timedOut = true;
                    return false;
                }
            }
        } finally {
            INTS.getAndAdd(buffer, myHolder + RegionLayout.HOLDER_WAITING_READERS_OFFSET, -1);
            if (acquired || timedOut) {
                finishWait(start, acquired);
            }
            if (acquired && (state() & READER_PHASE) != 0) {
                wake(); // a writer may be waiting for the reader phase's readers to be in
            }
        }
    }

    @Override
    public void releaseRead(boolean lastOfThread) {
        region.gate.ensureSlotOwned();
        releaseReadHold(1);
    }

    private void releaseReadHold(long amount) {
        long before = (long) LONGS.getAndAdd(buffer, myHolder, -amount);
        if ((before & HOLDS_MASK) == 1 && (state() & SLEEPERS) != 0) {
            wake(); // this slot's last read: a writer may be draining
        }
    }

    private static boolean readable(long s) {
        return (s & OWNER_MASK) == 0 && ((s & WRITER_WAITING) == 0 || (s & READER_PHASE) != 0);
    }

    // ------------------------------------------------------------------ write

    /** Write-locks, waiting up to {@code timeoutNanos} (0: no wait; negative: forever). */
    @Override
    public boolean acquireWrite(long timeoutNanos, boolean interruptible) throws InterruptedException {
        region.ensureOpen();
        long s = (long) LONGS.getVolatile(buffer, state);
        boolean owner = (s & (OWNER_MASK | READER_PHASE)) == 0 && LONGS.compareAndSet(buffer, state, s, s | myOwnerBits);
        if (owner && drained()) {
            startWriting();
            return true;
        }
        return acquireWriteSlow(timeoutNanos, interruptible, owner);
    }

    /**
     * Ownership is tracked by the caller, never read back from the state word: another thread of
     * this JVM may own the lock for this same slot.
     */
    private boolean acquireWriteSlow(long timeoutNanos, boolean interruptible, boolean ownerAlready)
            throws InterruptedException {
        long start = System.nanoTime();
        FutexWaiter.Wait waiting = waiter.begin(start, timeoutNanos, interruptible);
        boolean owner = ownerAlready;
        boolean registered = false;
        boolean acquired = false;
        boolean timedOut = false;
        try {
            // Stage 1: become the owner.
            while (!owner) {
                if (tryTakeOwnership()) {
                    owner = true;
                    break;
                }
                if (timeoutNanos == 0) {
                    if (recheckedAfterLiveness() && tryTakeOwnership()) {
                        owner = true;
                        break;
                    }
                    return false;
                }
                if (!registered) {
                    INTS.getAndAdd(buffer, myHolder + RegionLayout.HOLDER_WAITING_WRITERS_OFFSET, 1);
                    registered = true;
                }
                setBits(WRITER_WAITING);
                if (!waiting.pause(() -> !ownable((long) LONGS.getVolatile(buffer, state)))) {
                    timedOut = true;
                    return false;
                }
                region.ensureOpen(); // the region is closing: give up
            }
            // Stage 2: wait for the readers to drain; new ones see the owner and wait. The owner
            // stays counted as a waiting writer until they have.
            while (!drained()) {
                if (timeoutNanos == 0) {
                    if (recheckedAfterLiveness() && drained()) {
                        break;
                    }
                    owner = false;
                    releaseOwnership();
                    return false;
                }
                if (!registered) {
                    INTS.getAndAdd(buffer, myHolder + RegionLayout.HOLDER_WAITING_WRITERS_OFFSET, 1);
                    registered = true;
                }
                if (!waiting.pause(() -> !drained())) {
                    timedOut = true;
                    owner = false;
                    releaseOwnership();
                    return false;
                }
                region.ensureOpen(); // the region is closing: give up (the catch below lets go of the owner field)
            }
            startWriting();
            acquired = true;
            return true;
        } catch (InterruptedException | RuntimeException | Error e) {
            if (owner) {
                releaseOwnership();
            }
            throw e;
        } finally {
            // The slot is still ours here, even if the region is closing: RWLock leaves the
            // region's CloseGate only after this returns, and the slot is released only after that.
            if (registered) {
                INTS.getAndAdd(buffer, myHolder + RegionLayout.HOLDER_WAITING_WRITERS_OFFSET, -1);
                clearStaleWriterWaiting();
            }
            if (acquired || timedOut) {
                finishWait(start, acquired);
            }
        }
    }

    private boolean tryTakeOwnership() {
        long s = (long) LONGS.getVolatile(buffer, state);
        if (!ownable(s)) {
            return false;
        }
        long next = (s & ~OWNER_MASK & ~READER_PHASE & ~GENERATION_MASK) | myOwnerBits;
        return LONGS.compareAndSet(buffer, state, s, next);
    }

    /** Whether a writer may take the owner field now. */
    private boolean ownable(long s) {
        if ((s & OWNER_MASK) != 0) {
            return false;
        }
        return (s & READER_PHASE) == 0 || !anyLiveWaiting(RegionLayout.HOLDER_WAITING_READERS_OFFSET);
    }

    /** Whether no live slot holds a read; reads held by dead slots are reclaimed on the way. */
    private boolean drained() {
        for (int word = 0; word < bitmapWords; word++) {
            long readers = (long) LONGS.getVolatile(buffer, bitmap + word * Long.BYTES);
            while (readers != 0) {
                int slot = word * 64 + Long.numberOfTrailingZeros(readers);
                readers &= readers - 1;
                if (((long) LONGS.getVolatile(buffer, holder(slot)) & HOLDS_MASK) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A downgrading writer's read holds are already counted in its slot's holder record: nothing else to do. */
    @Override
    public void releaseWrite(boolean stillReading) {
        region.gate.ensureSlotOwned();
        stopWriting();
        if (!releaseOwnership()) {
            throw new HostsyncException("The write lock of '" + name + "' in region '" + region.options.name() + "' ("
                    + region.file + ") was taken from this process while one of its threads held it: another process"
                    + " found slot " + mySlot + " dead and recovered the lock, so another writer may have changed the"
                    + " data meanwhile. The kernel dropped this process's lock on its slot: never open and close the"
                    + " region file with other tools or channels in a process that uses it; check the data before"
                    + " trusting it.");
        }
    }

    /**
     * Clears the owner field, if it still names this slot and generation: never another owner's.
     * The caller's own ownership can only be gone if another process found this slot dead while
     * we held it (see {@link #releaseWrite}).
     *
     * @return whether this slot owned the lock
     */
    private boolean releaseOwnership() {
        while (true) {
            long s = (long) LONGS.getVolatile(buffer, state);
            if ((s & (OWNER_MASK | GENERATION_MASK)) != myOwnerBits) {
                return false;
            }
            long next = s & (TORN | WRITER_WAITING);
            if ((s & READERS_WAITING) != 0) {
                next |= READER_PHASE;
            }
            if ((next & WRITER_WAITING) != 0 && !anyLiveWaiting(RegionLayout.HOLDER_WAITING_WRITERS_OFFSET)) {
                next &= ~WRITER_WAITING;
            }
            if (LONGS.compareAndSet(buffer, state, s, next)) {
                if ((s & SLEEPERS) != 0) {
                    waiter.wakeAll();
                }
                return true;
            }
        }
    }

    // ------------------------------------------------------------------ waiting and waking

    private long state() {
        return (long) LONGS.getVolatile(buffer, state);
    }

    private void setBits(long bits) {
        if ((state() & bits) != bits) {
            LONGS.getAndBitwiseOr(buffer, state, bits);
        }
    }

    /** Wakes every sleeper if there may be one. */
    private void wake() {
        long s;
        do {
            s = state();
            if ((s & SLEEPERS) == 0) {
                return;
            }
        } while (!LONGS.compareAndSet(buffer, state, s, s & ~SLEEPERS));
        waiter.wakeAll();
    }

    // ------------------------------------------------------------------ liveness and recovery

    /**
     * For an attempt that may not wait ({@code tryLock()}): asks the kernel once whether what blocks
     * it belongs to a dead process, so that a try-lock loop takes over a killed holder's lock.
     * At most once per liveness interval per lock and process, so failing attempts stay cheap.
     * Returns whether anything was checked (the caller then tries once more).
     */
    private boolean recheckedAfterLiveness() {
        long now = System.nanoTime();
        long last = lastZeroWaitCheck;
        if (now - last < livenessNanos || !ZERO_WAIT_CHECK.compareAndSet(this, last, now)) {
            return false;
        }
        checkLiveness();
        return true;
    }

    /** A dead owner is recovered (and the lock marked torn if it was writing) when anyone reads the statistics. */
    @Override
    void noticeDeadWriter() {
        recoverDeadOwner();
    }

    /** Confirms with the kernel that the owner and the readers waited for are alive; reclaims what the dead held. */
    private void checkLiveness() {
        region.ensureNotLost(); // every waiter stops within an interval, even one waiting for its own JVM's holder
        recoverDeadOwner();
        reclaimDeadReaders();
        clearStaleWriterWaiting();
    }

    private void recoverDeadOwner() {
        long s = state();
        int owner = (int) (s & OWNER_MASK) - 1;
        if (owner < 0) {
            return;
        }
        long generation = s >>> GENERATION_SHIFT;
        if (owner == mySlot ? (myOwnerBits >>> GENERATION_SHIFT) == generation : region.slots.isAlive(owner, generation)) {
            return;
        }
        boolean torn = (int) INTS.getVolatile(buffer, RegionLayout.holderOffset(region.header, owner, index)
                + RegionLayout.HOLDER_WRITING_OFFSET) != 0;
        recover(s, torn);
    }

    /** Removes a dead writer from the state word, marking the lock torn if it died while writing. */
    private void recover(long s, boolean torn) {
        if (LONGS.compareAndSet(buffer, state, s, afterDeadOwner(s, torn))) {
            countRecovery();
            waiter.wakeAll();
        }
    }

    private void reclaimDeadReaders() {
        for (int word = 0; word < bitmapWords; word++) {
            long readers = (long) LONGS.getVolatile(buffer, bitmap + word * Long.BYTES);
            while (readers != 0) {
                int slot = word * 64 + Long.numberOfTrailingZeros(readers);
                readers &= readers - 1;
                int holder = holder(slot);
                long held = (long) LONGS.getVolatile(buffer, holder);
                if (slot != mySlot && (held & HOLDS_MASK) != 0 && !region.slots.isSlotHeld(slot)
                        // The holder word never returns to an earlier value (acquisitions only grow),
                        // so this fails if the slot was claimed again meanwhile.
                        && LONGS.compareAndSet(buffer, holder, held, held & ~HOLDS_MASK)) {
                    countRecovery();
                    waiter.wakeAll();
                }
            }
        }
    }

    private void clearStaleWriterWaiting() {
        long s = state();
        if ((s & WRITER_WAITING) != 0 && (s & OWNER_MASK) == 0
                && !anyLiveWaiting(RegionLayout.HOLDER_WAITING_WRITERS_OFFSET)
                && LONGS.compareAndSet(buffer, state, s, s & ~WRITER_WAITING)) {
            waiter.wakeAll();
        }
    }

    /** Whether a live slot has a thread waiting, at the given holder record offset. */
    private boolean anyLiveWaiting(int offset) {
        for (int slot = 0; slot < slots; slot++) {
            int waiting = (int) INTS.getVolatile(buffer, holder(slot) + offset);
            if (waiting > 0 && (slot == mySlot || region.slots.isSlotHeld(slot))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Called by a process that has just claimed {@code slot}, under the region's initialisation
     * lock: whatever the slot's previous owner held is released, and if it died writing, the
     * lock is marked torn. Leaves the slot's holder record with nothing held or waited for.
     */
    static void reclaimSlot(MappedByteBuffer buffer, RegionHeader header, int index, int slot) {
        int state = RegionLayout.lockRecordOffset(header, index);
        int holder = RegionLayout.holderOffset(header, slot, index);
        while (true) {
            long s = (long) LONGS.getVolatile(buffer, state);
            if ((int) (s & OWNER_MASK) - 1 != slot) {
                break;
            }
            boolean torn = (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WRITING_OFFSET) != 0;
            if (LONGS.compareAndSet(buffer, state, s, afterDeadOwner(s, torn))) {
                LONGS.getAndAdd(buffer, holder + RegionLayout.HOLDER_RECOVERIES_OFFSET, 1L);
                INTS.getAndAdd(buffer, state + RegionLayout.LOCK_FUTEX_OFFSET, 1);
                break;
            }
        }
        long held;
        do {
            held = (long) LONGS.getVolatile(buffer, holder);
        } while ((held & HOLDS_MASK) != 0 && !LONGS.compareAndSet(buffer, holder, held, held & ~HOLDS_MASK));
        INTS.setVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_READERS_OFFSET, 0);
        INTS.setVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_WRITERS_OFFSET, 0);
        INTS.setVolatile(buffer, holder + RegionLayout.HOLDER_WRITING_OFFSET, 0);
    }

    // ------------------------------------------------------------------ statistics

    @Override
    int writerSlot() {
        return (int) (state() & OWNER_MASK) - 1;
    }
}

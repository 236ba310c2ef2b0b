package io.hostsync.internal.lock;

import static io.hostsync.internal.lock.LockWord.*;
import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.HostsyncException;
import io.hostsync.RWLock;
import io.hostsync.RegionHeader;
import io.hostsync.RegionLostException;
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
 *   <li>Waiting: spin briefly, then sleep on a shared futex word: readers on one, writers
 *       waiting to own on another, the owner waiting for readers to drain on a third, so that
 *       a change wakes only those it may let in. A blocked reader looks at the state before
 *       adding a hold, so its failing changes nothing another waits on. Before the first sleep
 *       a waiter confirms with the kernel (the slot's OFD lock) that the owner and the readers
 *       being waited for are alive, and reclaims what the dead held; while it sleeps, this JVM's
 *       one liveness checker of the lock does so once per interval for all its sleepers.
 *       Nothing on a spin or in a release asks the kernel.</li>
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
    /** What readers sleep on: changed when a writer leaves or a waiting writer's mark is cleared. */
    private final FutexWaiter.Word readers;
    /** What writers waiting to own sleep on: changed when the owner leaves or a reader phase ends. */
    private final FutexWaiter.Word writers;
    /** What the owner sleeps on while readers drain: changed by a slot's last read release. */
    private final FutexWaiter.Word drain;

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
        this.waiter = new FutexWaiter(name, "hostsync-liveness-" + region.options.name() + "-" + name, livenessNanos,
                this::checkLiveness, this::checkForSleepers);
        String relay = "hostsync-relay-" + region.options.name() + "-" + name;
        this.readers = word(relay + "-readers", RegionLayout.LOCK_FUTEX_OFFSET, READERS_SLEEPING);
        this.writers = word(relay + "-writers", RegionLayout.LOCK_WRITERS_FUTEX_OFFSET, WRITERS_SLEEPING);
        this.drain = word(relay + "-drain", RegionLayout.LOCK_DRAIN_FUTEX_OFFSET, DRAINER_SLEEPING);
        region.gate.onClose(() -> { // sleeping waiters notice the close at once
            readers.wakeAll();
            writers.wakeAll();
            drain.wakeAll();
        });
    }

    private FutexWaiter.Word word(String relayName, int offset, long sleepingBit) {
        int futex = state + offset;
        return waiter.word(relayName, buffer, futex, region.address + futex, () -> setBits(sleepingBit));
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
        joinReaders();
        addReadHold();
        if (readable((long) LONGS.getVolatile(buffer, state))) {
            return true;
        }
        releaseReadHold(1 + READ_ACQUISITION);
        return false;
    }

    /**
     * Adds a read hold for a thread that already holds this lock (read or write): no wait. A
     * writer's read may be this slot's first: it joins the readers, or a downgrade would leave
     * its read where writers do not look.
     */
    @Override
    public void addReentrantRead() {
        region.gate.ensureSlotOwned();
        joinReaders();
        addReadHold();
    }

    /** Sets this slot's bit in the reader bitmap, once per slot: writers then look at its reads. */
    private void joinReaders() {
        if (((long) LONGS.getOpaque(buffer, myBitmapOffset) & myBitmapWord) == 0) {
            LONGS.getAndBitwiseOr(buffer, myBitmapOffset, myBitmapWord);
        }
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
                region.ensureOpen(); // attemptRead checked it on every round before; it may not run now
                setBits(READERS_WAITING);
                // Look before adding a hold: a blocked reader's attempt must change nothing that
                // others wait on (taking back a hold may wake the draining owner).
                if (readable(state()) && attemptRead()) {
                    acquired = true;
                    return true;
                }
                if (!waiting.pause(readers, () -> !readable(state()))) {
                    timedOut = true;
                    return false;
                }
            }
        } finally {
            waiting.end();
            int before = (int) INTS.getAndAdd(buffer, myHolder + RegionLayout.HOLDER_WAITING_READERS_OFFSET, -1);
            if (acquired || timedOut) {
                finishWait(start, acquired);
            }
            if (before == 1 && (state() & READER_PHASE) != 0) {
                wakeOneWriter(); // writers may be waiting for the reader phase's readers to be in
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
        if ((before & HOLDS_MASK) == 1 && (state() & DRAINER_SLEEPING) != 0) {
            wake(DRAINER_SLEEPING, drain); // this slot's last read: the owner may be draining
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
        boolean owner = (s & (OWNER_MASK | READER_PHASE)) == 0
                && LONGS.compareAndSet(buffer, state, s, s | myOwnerBits);
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
                if (waiting.slept() && (state() & READER_PHASE) != 0) {
                    // Woken during a reader phase, as its last live waiting reader leaves: readers
                    // counted by a dead slot would hold it open until the checker's next look.
                    endAbandonedReaderPhase();
                }
                if (tryTakeOwnership(waiting.slept())) {
                    owner = true;
                    break;
                }
                if (timeoutNanos == 0) {
                    if (recheckedAfterLiveness() && tryTakeOwnership(false)) {
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
                if (!waiting.pause(writers, () -> !ownable(state()))) {
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
                if (!waiting.pause(drain, () -> !drained())) {
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
            waiting.end();
            // The slot is still ours here, even if the region is closing: RWLock leaves the
            // region's CloseGate only after this returns, and the slot is released only after that.
            if (registered) {
                INTS.getAndAdd(buffer, myHolder + RegionLayout.HOLDER_WAITING_WRITERS_OFFSET, -1);
                clearStaleWriterWaiting();
            }
            if (!acquired && !owner && waiting.slept()) {
                writers.wakeOne(); // a release may have woken this writer alone: pass the turn on
            }
            if (acquired || timedOut) {
                finishWait(start, acquired);
            }
        }
    }

    /**
     * Takes the owner field if the lock is ownable. A writer that slept was woken alone (a
     * release wakes one writer), so others may still sleep without their bit: it sets the
     * writers' sleeping bit as it takes the lock, so that its own release wakes the next one.
     * Once none is left, that costs one wake of nobody.
     */
    private boolean tryTakeOwnership(boolean slept) {
        long s = (long) LONGS.getVolatile(buffer, state);
        if (!ownable(s)) {
            return false;
        }
        long next = (s & ~OWNER_MASK & ~READER_PHASE & ~GENERATION_MASK) | myOwnerBits | (slept ? WRITERS_SLEEPING : 0);
        return LONGS.compareAndSet(buffer, state, s, next);
    }

    /**
     * Whether a writer may take the owner field now. Reads shared memory only (it runs on every
     * spin): readers counted as waiting by a dead slot hold a reader phase open until a liveness
     * check ends it ({@link #endAbandonedReaderPhase()}).
     */
    private boolean ownable(long s) {
        if ((s & OWNER_MASK) != 0) {
            return false;
        }
        return (s & READER_PHASE) == 0 || !anyWaiting(RegionLayout.HOLDER_WAITING_READERS_OFFSET);
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
     * we held it (see {@link #releaseWrite}). Wakes the readers, or, when no reader phase opens,
     * the writers. During a phase the writers' sleeping bit stays set: the phase's last waiting
     * reader wakes them. No system call before the CAS succeeds: whether writers still wait is
     * read from shared memory (a dead slot's count keeps the mark until a liveness check clears it).
     *
     * @return whether this slot owned the lock
     */
    private boolean releaseOwnership() {
        boolean writersWaiting = (state() & WRITER_WAITING) != 0
                && anyWaiting(RegionLayout.HOLDER_WAITING_WRITERS_OFFSET);
        while (true) {
            long s = (long) LONGS.getVolatile(buffer, state);
            if ((s & (OWNER_MASK | GENERATION_MASK)) != myOwnerBits) {
                return false;
            }
            long next = s & (TORN | WRITER_WAITING);
            boolean phase = (s & READERS_WAITING) != 0;
            if (phase) {
                next |= READER_PHASE | (s & WRITERS_SLEEPING);
            }
            if ((next & WRITER_WAITING) != 0 && !writersWaiting) {
                next &= ~WRITER_WAITING;
            }
            if (LONGS.compareAndSet(buffer, state, s, next)) {
                if ((s & READERS_SLEEPING) != 0) {
                    readers.wakeAll();
                }
                if (!phase && (s & WRITERS_SLEEPING) != 0) {
                    writers.wakeOne(); // only one can own; it wakes the next when it leaves
                } else if (phase && !anyWaiting(RegionLayout.HOLDER_WAITING_READERS_OFFSET)) {
                    // The waiting readers left before the phase opened, so none will end it: after
                    // the CAS, either they saw the phase or this sees their counts at zero.
                    wakeOneWriter();
                }
                return true;
            }
        }
    }

    // ------------------------------------------------------------------ waiting and waking

    private long state() {
        return (long) LONGS.getVolatile(buffer, state);
    }

    /**
     * Sets bits of the state word. Finding them set with a volatile read is as good as setting
     * them for a sleeper's announcement: a waker that clears them afterwards bumps the word the
     * sleeper read before (see {@link FutexWaiter}).
     */
    private void setBits(long bits) {
        if ((state() & bits) != bits) {
            LONGS.getAndBitwiseOr(buffer, state, bits);
        }
    }

    /** Wakes the sleepers on {@code word} if its sleeping bit says there may be some. */
    private void wake(long sleepingBit, FutexWaiter.Word word) {
        if ((state() & sleepingBit) != 0
                && ((long) LONGS.getAndBitwiseAnd(buffer, state, ~sleepingBit) & sleepingBit) != 0) {
            word.wakeAll();
        }
    }

    /** Wakes one sleeping writer if the writers' sleeping bit says there may be one. */
    private void wakeOneWriter() {
        if ((state() & WRITERS_SLEEPING) != 0
                && ((long) LONGS.getAndBitwiseAnd(buffer, state, ~WRITERS_SLEEPING) & WRITERS_SLEEPING) != 0) {
            writers.wakeOne();
        }
    }

    /** After a change any waiter may care about (a dead owner or reader reclaimed): wakes every word. */
    private void wakeEveryone() {
        readers.wakeAll();
        writers.wakeAll();
        drain.wakeAll();
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

    /**
     * The check of this JVM's liveness checker, on behalf of the threads sleeping on the lock. It
     * acts for the slot, so it enters the region's gate like an acquisition; once the region is
     * closing or lost it wakes the sleepers instead, which then give up with the region's error.
     */
    private void checkForSleepers() {
        if (!region.gate.tryEnter()) {
            wakeEveryoneAfterFailure();
            return;
        }
        try {
            checkLiveness();
            wakeUnblockedSleepers();
        } catch (InternalError fault) { // a fault on a truncated mapping, delivered before the watchdog saw it
            RegionLostException loss = region.lostBy(fault);
            wakeEveryoneAfterFailure();
            throw loss;
        } catch (RuntimeException e) {
            wakeEveryoneAfterFailure(); // lost meanwhile, or corrupted: the sleepers check, and fail, on their own
            throw e;
        } finally {
            region.gate.leave();
        }
    }

    /**
     * Wakes every word once the region is closing, lost or failing. If it was lost to a truncation,
     * {@link RegionFile#failure()} returns only once the mapping has been replaced, so that the wake
     * touches no page past the file's new end (a fault there may crash the JVM).
     */
    private void wakeEveryoneAfterFailure() {
        region.failure();
        wakeEveryone();
    }

    /**
     * Wakes the sleepers whom the state no longer blocks. Their waker may have died between its
     * change and its wake (a releaser killed after its CAS, a writer woken alone killed before it
     * passed the turn on): without this they would sleep until their backstop. Costs nothing while
     * the lock blocks them, which is when the checker runs.
     */
    private void wakeUnblockedSleepers() {
        long s = state();
        if (readable(s)) {
            readers.wakeAll();
        }
        if (ownable(s)) {
            writers.wakeOne(); // the one that gets the lock wakes the next when it leaves
        } else if (ownerSlot(s) == mySlot && drained()) {
            drain.wakeAll();
        }
    }

    /** Confirms with the kernel that the owner and the readers waited for are alive; reclaims what the dead held. */
    private void checkLiveness() {
        region.ensureNotLost(); // every waiter stops within an interval, even one waiting for its own JVM's holder
        recoverDeadOwner();
        reclaimDeadReaders();
        clearStaleWriterWaiting();
        endAbandonedReaderPhase();
    }

    private void recoverDeadOwner() {
        long s = state();
        int owner = (int) (s & OWNER_MASK) - 1;
        if (owner < 0) {
            return;
        }
        long generation = s >>> GENERATION_SHIFT;
        if (owner == mySlot ? (myOwnerBits >>> GENERATION_SHIFT) == generation
                : region.slots.isAlive(owner, generation)) {
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
            wakeEveryone();
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
                    drain.wakeAll();
                }
            }
        }
    }

    private void clearStaleWriterWaiting() {
        long s = state();
        if ((s & WRITER_WAITING) != 0 && (s & OWNER_MASK) == 0
                && !anyLiveWaiting(RegionLayout.HOLDER_WAITING_WRITERS_OFFSET)
                && LONGS.compareAndSet(buffer, state, s, s & ~WRITER_WAITING)) {
            readers.wakeAll();
        }
    }

    /**
     * Ends a reader phase whose waiting readers are all counted by dead slots: they will never
     * come in to end it, and writers would wait for them.
     */
    private void endAbandonedReaderPhase() {
        long s = state();
        if ((s & READER_PHASE) != 0 && (s & OWNER_MASK) == 0
                && anyWaiting(RegionLayout.HOLDER_WAITING_READERS_OFFSET)
                && !anyLiveWaiting(RegionLayout.HOLDER_WAITING_READERS_OFFSET)
                && LONGS.compareAndSet(buffer, state, s, s & ~READER_PHASE)) {
            writers.wakeAll();
        }
    }

    /** Whether any slot, live or dead, counts a waiting thread at the given holder record offset: shared memory only. */
    private boolean anyWaiting(int offset) {
        for (int slot = 0; slot < slots; slot++) {
            if ((int) INTS.getVolatile(buffer, holder(slot) + offset) > 0) {
                return true;
            }
        }
        return false;
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

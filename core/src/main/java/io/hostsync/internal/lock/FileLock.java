package io.hostsync.internal.lock;

import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.RegionHeader;
import io.hostsync.internal.os.ByteLocks;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.region.RegionLayout;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * The {@code file} backend: kernel byte-range locks on two bytes of the lock record
 * ({@link RegionLayout#LOCK_FILE_BYTE_OFFSET}), released by the kernel when a process dies,
 * whatever its PID namespace.
 *
 * <h2>One host lock per process</h2>
 * Byte-range locks belong to a process (an open file description, or for classic POSIX locks
 * the process), not to a thread. So the threads of this JVM first pass a fair in-JVM
 * {@link ReentrantReadWriteLock}, and the process holds the byte: shared while any of its
 * threads reads, exclusive while one writes. A downgrade converts the byte from exclusive to
 * shared (atomically with OFD locks).
 *
 * <h2>Fairness</h2>
 * Fair both ways. The kernel lets readers overtake a waiting writer, so a waiting writer holds
 * the gate byte (the next one) exclusively, and a reader takes the gate shared before the lock
 * byte and drops it once it has the lock byte: no new reader passes a waiting writer. And a
 * process whose readers wait holds the readers byte (the one after the gate) shared; a writer
 * that has not yet taken the gate yields while another process holds it: a stream of writers
 * cannot starve readers.
 *
 * <h2>Crash safety</h2>
 * The kernel releases a dead process's bytes. A writer sets its slot's writing flag after
 * getting the byte and clears it before releasing; the next process to take the byte, reader or
 * writer, that finds another slot's flag set knows that process died writing and marks the lock
 * possibly torn before it reads anything.
 *
 * <h2>Locks</h2>
 * OFD locks ({@code fcntl F_OFD_SETLK}) on Linux. Elsewhere, or with the system property
 * {@value io.hostsync.internal.os.Platform#CHANNEL_LOCKS_PROPERTY}{@code =true}, {@link FileChannel} locks through one channel per
 * region that is never closed while the region is open, with this class as the in-JVM layer, so
 * that no {@code OverlappingFileLockException} reaches users; their downgrade is not atomic.
 * Waits poll with pauses growing from 20 µs to 1 ms.
 */
final class FileLock extends RecordedLock {

    private final ReentrantReadWriteLock local = new ReentrantReadWriteLock(true);
    /** Guards {@link #readers}, {@link #writing} and every change of this process's byte locks. */
    private final ReentrantLock host = new ReentrantLock();
    private int readers;
    private boolean writing;
    /** This process's threads waiting to read; while any does, it holds {@link #readersByte} shared. */
    private int waitingReaders;
    private final long lockByte;
    private final long gateByte;
    private final long readersByte;
    private final ByteLocks bytes;

    FileLock(RegionFile region, int index, String name) {
        super(region, index, name);
        this.lockByte = record + RegionLayout.LOCK_FILE_BYTE_OFFSET;
        this.gateByte = lockByte + 1;
        this.readersByte = lockByte + 2;
        this.bytes = region.descriptor.byteLocks();
    }

    // ------------------------------------------------------------------ read

    @Override
    public boolean tryAcquireRead() {
        region.ensureOpen();
        checkReadHoldRoom(); // before the hold is taken: failing afterwards would leave it taken
        if (!tryNow(local.readLock())) {
            return false;
        }
        boolean ok = false;
        try {
            ok = tryHostReadLocked();
        } finally {
            if (!ok) {
                local.readLock().unlock();
            }
        }
        if (ok) {
            countReadHold();
        }
        return ok;
    }

    @Override
    public boolean acquireRead(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (tryAcquireRead()) {
            return true;
        }
        if (timeoutNanos == 0) {
            return false;
        }
        long start = System.nanoTime();
        addWaiting(RegionLayout.HOLDER_WAITING_READERS_OFFSET, 1);
        boolean acquired = false;
        try {
            if (!acquireInJvm(local.readLock(), start, timeoutNanos, interruptible)) {
                return false;
            }
            announceWaitingReader(true);
            try {
                // The in-JVM mutex is held for one attempt at a time, never across a pause: this
                // process's readers must be able to leave while others wait.
                acquired = poll(this::tryHostReadLocked, start, timeoutNanos, interruptible);
            } finally {
                announceWaitingReader(false);
                if (!acquired) {
                    local.readLock().unlock();
                }
            }
            if (acquired) {
                countReadHold();
            }
            return acquired;
        } finally {
            addWaiting(RegionLayout.HOLDER_WAITING_READERS_OFFSET, -1);
            finishWait(start, acquired);
        }
    }

    /**
     * Holds the readers byte shared while any thread of this process waits to read, so that
     * writers of other processes that have not yet taken the gate let those readers in first:
     * a stream of writers cannot starve readers.
     */
    private void announceWaitingReader(boolean waiting) {
        host.lock();
        try {
            if (waiting && waitingReaders++ == 0) {
                bytes.lockShared(readersByte);
            } else if (!waiting && --waitingReaders == 0) {
                bytes.unlock(readersByte);
            }
        } finally {
            host.unlock();
        }
    }

    /** Whether a reader of another process waits: a writer that has not taken the gate yields to it. */
    private boolean readersWaitElsewhere() {
        return bytes.heldByOthers(readersByte);
    }

    private boolean tryHostReadLocked() {
        host.lock();
        try {
            return tryHostRead();
        } finally {
            host.unlock();
        }
    }

    /**
     * With {@link #host} held: passes the gate shared (it fails while a writer of any process
     * waits, so that a process with a stream of readers cannot starve other processes' writers),
     * then joins this process's readers, taking the lock byte shared if it is the first.
     */
    private boolean tryHostRead() {
        if (!bytes.tryLock(gateByte, true)) {
            return false;
        }
        boolean locked = readers > 0;
        if (!locked && bytes.tryLock(lockByte, true)) {
            locked = true;
            detectDeadWriter(); // a reader may be the first in after a writer died: it must see the mark
        }
        bytes.unlock(gateByte);
        if (locked) {
            readers++;
        }
        return locked;
    }

    @Override
    public void addReentrantRead() {
        region.gate.ensureSlotOwned();
        checkReadHoldRoom();
        if (local.isWriteLockedByCurrentThread() && local.getReadHoldCount() == 0) {
            local.readLock().lock(); // the writer's first read: immediate
            host.lock();
            readers++;
            host.unlock();
        }
        countReadHold();
    }

    @Override
    public void releaseRead(boolean lastOfThread) {
        region.gate.ensureSlotOwned();
        if (lastOfThread) {
            host.lock();
            try {
                if (--readers == 0 && !writing) {
                    bytes.unlock(lockByte);
                }
            } finally {
                host.unlock();
            }
            local.readLock().unlock();
        }
        dropReadHold();
    }

    // ------------------------------------------------------------------ write

    @Override
    public boolean acquireWrite(long timeoutNanos, boolean interruptible) throws InterruptedException {
        region.ensureOpen();
        long start = System.nanoTime();
        boolean now = tryNow(local.writeLock())
                && finishWrite(!readersWaitElsewhere() && bytes.tryLock(lockByte, false));
        if (now || timeoutNanos == 0) {
            return now;
        }
        addWaiting(RegionLayout.HOLDER_WAITING_WRITERS_OFFSET, 1);
        boolean acquired = false;
        try {
            if (!local.isWriteLockedByCurrentThread()
                    && !acquireInJvm(local.writeLock(), start, timeoutNanos, interruptible)) {
                return false;
            }
            boolean[] gate = new boolean[1];
            boolean locked = false;
            try {
                locked = poll(() -> {
                    if (!gate[0]) {
                        if (readersWaitElsewhere()) {
                            return false; // they go first; once this writer holds the gate, it goes next
                        }
                        gate[0] = bytes.tryLock(gateByte, false); // from now on, new readers wait
                    }
                    return gate[0] && bytes.tryLock(lockByte, false);
                }, start, timeoutNanos, interruptible);
            } finally {
                if (gate[0]) {
                    bytes.unlock(gateByte);
                }
                if (!locked) {
                    local.writeLock().unlock();
                }
            }
            if (!locked) {
                return false;
            }
            acquired = finishWrite(true);
            return acquired;
        } finally {
            addWaiting(RegionLayout.HOLDER_WAITING_WRITERS_OFFSET, -1);
            finishWait(start, acquired);
        }
    }

    /** After an attempt with the local write lock held: keeps it and records the write, or lets it go. */
    private boolean finishWrite(boolean acquired) {
        if (!acquired) {
            local.writeLock().unlock();
            return false;
        }
        host.lock();
        writing = true;
        host.unlock();
        detectDeadWriter();
        startWriting();
        return true;
    }

    /**
     * Holding the byte (shared or exclusive), so that no live writer can be writing: another slot
     * still flagged as writing died while writing. Marks the lock torn before this process reads
     * or writes anything.
     */
    private void detectDeadWriter() {
        markDeadWriters(true);
    }

    /**
     * Without the byte, only marks: the dead slot's flag is left for {@link #detectDeadWriter()},
     * which clears it holding the byte (a slot claimed again meanwhile may be writing for a live
     * process).
     */
    @Override
    void noticeDeadWriter() {
        markDeadWriters(false);
    }

    private void markDeadWriters(boolean holdingTheByte) {
        for (int slot = 0; slot < slots; slot++) {
            int flag = holder(slot) + RegionLayout.HOLDER_WRITING_OFFSET;
            if (slot != mySlot && (int) INTS.getVolatile(buffer, flag) != 0 && !region.slots.isSlotHeld(slot)) {
                markTorn();
                if (holdingTheByte && INTS.compareAndSet(buffer, flag, 1, 0)) {
                    countRecovery();
                }
            }
        }
    }

    @Override
    public void releaseWrite(boolean stillReading) {
        region.gate.ensureSlotOwned();
        stopWriting(); // before the byte goes: the next writer must not take us for dead
        host.lock();
        try {
            writing = false;
            if (readers > 0) {
                bytes.downgrade(lockByte);
            } else {
                bytes.unlock(lockByte);
            }
        } finally {
            host.unlock();
        }
        local.writeLock().unlock();
    }

    /**
     * Called under the initialisation lock by a process claiming {@code slot}, before its holder
     * records are cleared: a previous owner that died writing leaves the lock possibly torn.
     */
    static void noteDeadSlot(java.nio.ByteBuffer buffer, RegionHeader header, int index, int slot) {
        if ((int) INTS.getVolatile(buffer,
                RegionLayout.holderOffset(header, slot, index) + RegionLayout.HOLDER_WRITING_OFFSET) != 0) {
            LONGS.getAndBitwiseOr(buffer, RegionLayout.lockRecordOffset(header, index), LockWord.TORN);
        }
    }

    // ------------------------------------------------------------------ waiting

    /** A try that honours the fair queue (a plain {@code tryLock()} would barge past waiting threads). */
    private static boolean tryNow(java.util.concurrent.locks.Lock lock) {
        boolean interrupted = Thread.interrupted(); // a try never fails for an interrupt: set it aside
        try {
            return lock.tryLock(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Retries {@code attempt} with growing pauses until it succeeds or the time is up. */
    private boolean poll(BooleanSupplier attempt, long start, long timeoutNanos, boolean interruptible)
            throws InterruptedException {
        long pause = ByteLocks.FIRST_PAUSE_NANOS;
        boolean interrupted = false;
        try {
            while (true) {
                region.ensureOpen(); // the region is closing: give up (the callers' finally blocks undo the attempt)
                if (attempt.getAsBoolean()) {
                    return true;
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException("Interrupted while waiting for lock '" + name + "'");
                    }
                    interrupted = true; // parkNanos would return at once: remember it for later
                }
                long remaining = timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos - (System.nanoTime() - start);
                if (remaining <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, Math.min(pause, remaining));
                pause = Math.min(pause * 2, ByteLocks.MAX_PAUSE_NANOS);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ torn and statistics

    @Override
    int writerSlot() {
        return writingSlot();
    }
}

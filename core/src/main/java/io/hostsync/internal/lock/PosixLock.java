package io.hostsync.internal.lock;

import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.BackendRefusedException;
import io.hostsync.HostsyncException;
import io.hostsync.LockHolderDiedException;
import io.hostsync.NativeCallException;
import io.hostsync.RegionHeader;
import io.hostsync.RegionInUseException;
import io.hostsync.SharedRegion;
import io.hostsync.internal.ffi.PThread;
import io.hostsync.internal.os.Native;
import io.hostsync.internal.os.Posix;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.region.RegionLayout;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@code posix} backend: a process-shared, writer-preferring glibc {@code pthread_rwlock_t}
 * at {@link RegionLayout#LOCK_POSIX_OFFSET} of the lock record, which C and Python programs can
 * take too.
 *
 * <h2>What it cannot do, and how that is made loud</h2>
 * <ul>
 *   <li>A {@code pthread_rwlock_t} has no owner the kernel knows: a process that dies holding it
 *       (or waiting in it) leaves it held forever. Each process records its holds and waits in
 *       its holder record before calling glibc, so a waiter can find a participant that died
 *       with holds (confirmed dead by the kernel, through its slot's OFD lock). A timed wait
 *       that expires, and an untimed wait as soon as it finds one, throw
 *       {@link LockHolderDiedException}; the death is also written into the lock record, so
 *       every later waiter learns it. {@link SharedRegion#resetLock(String)} initialises the
 *       lock again once no live process holds or waits for it, and marks the lock possibly
 *       torn if the dead process was writing.</li>
 *   <li>glibc records a writer by thread id, and thread ids collide across PID namespaces:
 *       opening such a region while a participant lives in another PID namespace is refused
 *       ({@link BackendRefusedException}).</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * glibc requires the write lock to be released by the thread that took it, and a virtual thread
 * may move between carriers. So one writer per JVM at a time passes a fair in-JVM gate; a
 * platform thread calls glibc itself, and a virtual thread has its write lock taken and released
 * by one platform thread of this lock ({@code hostsync-posix-...}), and polls instead of
 * blocking in glibc, so that its carrier is never pinned. Waits run in slices of
 * {@link #SLICE_NANOS} on {@code CLOCK_MONOTONIC}, between which interrupts and dead holders are
 * checked.
 *
 * <p>About 440 lines: the glibc calls, the in-JVM layer above them and the detection of a dead
 * holder or waiter are one protocol around one {@code pthread_rwlock_t}.
 */
final class PosixLock extends RecordedLock {

    /** Longest time spent inside glibc between checks of interrupts, deadlines and dead holders. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** State word bit of a posix lock: the dead holder recorded in the lock record was writing. */
    static final long DIED_WRITING = 1L << 18;

    private final PThread pthread = Posix.pthread();
    private final long address;
    /** One writer of this JVM at a time reaches glibc; held until the native write lock is released. */
    private final ReentrantLock writers = new ReentrantLock(true);
    /** The thread owning the native write lock (itself or through {@link #owner}); only it writes these. */
    private @Nullable Thread nativeWriter;
    private boolean writeOnOwnerThread;
    private @Nullable Thread downgraded;
    private volatile @Nullable ExecutorService owner;

    PosixLock(RegionFile region, int index, String name) {
        super(region, index, name);
        this.address = region.address + record + RegionLayout.LOCK_POSIX_OFFSET;
    }

    /** Initialises the {@code pthread_rwlock_t} of a new lock record (under the initialisation lock). */
    static void initialise(long regionAddress, RegionHeader header, int index, Object subject) {
        int error = Posix.initialise(
                regionAddress + RegionLayout.lockRecordOffset(header, index) + RegionLayout.LOCK_POSIX_OFFSET);
        if (error != 0) {
            throw Native.failure("pthread_rwlock_init", subject, error);
        }
    }

    // ------------------------------------------------------------------ read

    @Override
    public boolean tryAcquireRead() {
        region.ensureOpen();
        addReadHold(); // before glibc: a death inside the call is then visible to waiters
        int error = pthread.pthread_rwlock_tryrdlock(address);
        if (error == 0) {
            return true;
        }
        undoReadHold();
        if (error == Posix.EBUSY) {
            return false;
        }
        throw failure("pthread_rwlock_tryrdlock", error);
    }

    @Override
    public boolean acquireRead(long timeoutNanos, boolean interruptible) throws InterruptedException {
        long start = System.nanoTime();
        if (tryAcquireRead()) {
            return true;
        }
        return timeoutNanos != 0 && await(false, start, timeoutNanos, interruptible);
    }

    @Override
    public void addReentrantRead() {
        region.gate.ensureSlotOwned();
        addReadHold();
    }

    @Override
    public void releaseRead(boolean lastOfThread) {
        region.gate.ensureSlotOwned();
        Thread current = Thread.currentThread();
        if (lastOfThread && current != nativeWriter) {
            if (current == downgraded) {
                downgraded = null;
                unlockWrite();
            } else {
                check("pthread_rwlock_unlock", pthread.pthread_rwlock_unlock(address));
            }
        }
        dropReadHold();
    }

    // ------------------------------------------------------------------ write

    @Override
    public boolean acquireWrite(long timeoutNanos, boolean interruptible) throws InterruptedException {
        region.ensureOpen();
        long start = System.nanoTime();
        if (!acquireInJvm(writers, start, timeoutNanos, interruptible)) {
            if (timeoutNanos != 0) {
                finishWait(start, false); // another thread of this JVM kept the write lock all along
            }
            return false;
        }
        boolean acquired = false;
        try {
            region.ensureOpen(); // the region may have started closing while this thread waited in the JVM
            Thread current = Thread.currentThread();
            boolean virtual = isVirtual(current);
            if (tryWrite(virtual)) {
                acquired = true;
            } else if (timeoutNanos != 0) {
                acquired = await(true, start, timeoutNanos, interruptible);
            }
            if (acquired) {
                nativeWriter = current;
                writeOnOwnerThread = virtual;
                startWriting();
            }
            return acquired;
        } finally {
            if (!acquired) {
                writers.unlock();
            }
        }
    }

    /** One attempt at the native write lock, recorded first as this slot's writing flag. */
    private boolean tryWrite(boolean virtual) {
        INTS.setVolatile(buffer, myHolder + RegionLayout.HOLDER_WRITING_OFFSET, 1);
        int error = virtual ? onOwnerThread(() -> pthread.pthread_rwlock_trywrlock(address))
                : pthread.pthread_rwlock_trywrlock(address);
        if (error == 0) {
            return true;
        }
        stopWriting();
        if (error == Posix.EBUSY) {
            return false;
        }
        throw failure("pthread_rwlock_trywrlock", error);
    }

    @Override
    public void releaseWrite(boolean stillReading) {
        region.gate.ensureSlotOwned();
        if (stillReading) {
            stopWriting(); // its read holds, still recorded, keep it visible to waiters
            downgraded = nativeWriter; // exclusive until its last read hold goes: glibc cannot downgrade
            nativeWriter = null;
        } else {
            nativeWriter = null;
            unlockWrite();
        }
    }

    /** Unlocks in glibc, then clears the writing flag (a death in between is reported, not hidden), then opens the gate. */
    private void unlockWrite() {
        int error = writeOnOwnerThread ? onOwnerThread(() -> pthread.pthread_rwlock_unlock(address))
                : pthread.pthread_rwlock_unlock(address);
        writeOnOwnerThread = false;
        stopWriting();
        writers.unlock();
        check("pthread_rwlock_unlock", error);
    }

    // ------------------------------------------------------------------ waiting

    /**
     * Waits for the lock in slices. Platform threads wait inside glibc; virtual threads poll
     * with growing pauses (their write attempts run on the owner thread).
     */
    private boolean await(boolean write, long start, long timeoutNanos, boolean interruptible)
            throws InterruptedException {
        boolean virtual = isVirtual(Thread.currentThread());
        int waitingOffset = write ? RegionLayout.HOLDER_WAITING_WRITERS_OFFSET
                : RegionLayout.HOLDER_WAITING_READERS_OFFSET;
        addWaiting(waitingOffset, 1);
        long pause = 20_000;
        long lastCheck = start;
        boolean acquired = false;
        try {
            while (true) {
                region.ensureOpen(); // the region is closing: give up
                if (interruptible && Thread.interrupted()) {
                    throw new InterruptedException("Interrupted while waiting for lock '" + name + "'");
                }
                long now = System.nanoTime();
                long remaining = timeoutNanos < 0 ? SLICE_NANOS : timeoutNanos - (now - start);
                if (remaining <= 0) {
                    String dead = deadHolder();
                    if (dead != null) {
                        throw died(dead, timeoutNanos);
                    }
                    return false;
                }
                if (virtual) {
                    if (write ? tryWrite(true) : tryAcquireRead()) {
                        acquired = true;
                        return true;
                    }
                    LockSupport.parkNanos(this, Math.min(pause, remaining));
                    pause = Math.min(pause * 2, MAX_POLL_NANOS);
                } else {
                    if (!write) {
                        addReadHold();
                    } // a writer's wait is recorded by the waiting count until startWriting()
                    int error = Posix.timedLock(address, write, Math.min(SLICE_NANOS, remaining));
                    if (error == 0) {
                        acquired = true;
                        return true;
                    }
                    if (!write) {
                        undoReadHold();
                    }
                    if (error != Posix.ETIMEDOUT) {
                        throw failure(write ? "pthread_rwlock_clockwrlock" : "pthread_rwlock_clockrdlock", error);
                    }
                }
                now = System.nanoTime();
                if (timeoutNanos < 0 && now - lastCheck >= SLICE_NANOS) {
                    lastCheck = now;
                    String dead = deadHolder();
                    if (dead != null) {
                        throw died(dead, -1);
                    }
                }
            }
        } finally {
            addWaiting(waitingOffset, -1);
            finishWait(start, acquired);
        }
    }

    private int onOwnerThread(IntSupplier call) {
        ExecutorService executor = owner;
        if (executor == null) {
            synchronized (this) {
                if (owner == null) {
                    owner = Executors.newSingleThreadExecutor(task -> {
                        Thread thread = new Thread(task, "hostsync-posix-" + region.options.name() + "-" + name);
                        thread.setDaemon(true);
                        return thread;
                    });
                }
                executor = owner;
            }
        }
        Future<Integer> result = executor.submit(call::getAsInt);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get(); // never abandoned: a lock taken for us must be known
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new HostsyncException("Native call for lock '" + name + "' failed: " + e.getCause(),
                            e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ dead holders

    /**
     * Finds a participant that died holding or waiting for this lock: known from the lock record,
     * or found now among the holder records (and then written to the lock record).
     *
     * @return a description of it, or {@code null}
     */
    private @Nullable String deadHolder() {
        int known = (int) INTS.getVolatile(buffer, record + RegionLayout.LOCK_DEAD_HOLDER_SLOT_OFFSET);
        if (known != 0) {
            return describeDead(known - 1,
                    (long) LONGS.getVolatile(buffer, record + RegionLayout.LOCK_DEAD_HOLDER_PID_OFFSET));
        }
        for (int slot = 0; slot < slots; slot++) {
            if (slot != mySlot && active(buffer, holder(slot)) && !region.slots.isSlotHeld(slot)) {
                long pid = buffer.getLong(RegionLayout.slotOffset(slot) + RegionLayout.SLOT_PID_OFFSET);
                recordDeath(buffer, record, slot, pid, holder(slot));
                return describeDead(slot, pid);
            }
        }
        return null;
    }

    private static boolean active(java.nio.ByteBuffer buffer, int holder) {
        return ((long) LONGS.getVolatile(buffer, holder) & HOLDS_MASK) != 0
                || (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WRITING_OFFSET) != 0
                || (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_READERS_OFFSET) != 0
                || (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_WRITERS_OFFSET) != 0;
    }

    private static void recordDeath(java.nio.ByteBuffer buffer, int record, int slot, long pid, int holder) {
        if ((int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WRITING_OFFSET) != 0) {
            LONGS.getAndBitwiseOr(buffer, record + RegionLayout.LOCK_STATE_OFFSET, DIED_WRITING);
        }
        LONGS.setVolatile(buffer, record + RegionLayout.LOCK_DEAD_HOLDER_PID_OFFSET, pid);
        INTS.setVolatile(buffer, record + RegionLayout.LOCK_DEAD_HOLDER_SLOT_OFFSET, slot + 1);
    }

    /**
     * Called under the initialisation lock by a process claiming {@code slot}, before the slot's
     * holder records are cleared: if the previous owner held or waited for a posix lock, that
     * lock is wedged, and the lock record keeps the evidence.
     */
    static void noteDeadSlot(java.nio.ByteBuffer buffer, RegionHeader header, int index, int slot) {
        int record = RegionLayout.lockRecordOffset(header, index);
        if (active(buffer, RegionLayout.holderOffset(header, slot, index))
                && (int) INTS.getVolatile(buffer, record + RegionLayout.LOCK_DEAD_HOLDER_SLOT_OFFSET) == 0) {
            recordDeath(buffer, record, slot,
                    buffer.getLong(RegionLayout.slotOffset(slot) + RegionLayout.SLOT_PID_OFFSET),
                    RegionLayout.holderOffset(header, slot, index));
        }
    }

    private String describeDead(int slot, long pid) {
        return "participant slot " + slot + " (pid " + pid + " in its PID namespace)";
    }

    private LockHolderDiedException died(String dead, long timeoutNanos) {
        return new LockHolderDiedException("Lock '" + name + "' of region '" + region.options.name()
                + "' (posix backend)"
                + (timeoutNanos >= 0 ? " was not acquired within " + java.time.Duration.ofNanos(timeoutNanos) + ": "
                        : ": ")
                + dead + " died holding or waiting for it, and a pthread_rwlock cannot be released for a dead process."
                + " Stop or restart the processes that use the lock's data if it may be half written, then reset the lock"
                + " with SharedRegion.resetLock(\"" + name + "\") from any process that opens the region. To survive"
                + " kill -9 without an operator, use backend robust.");
    }

    // ------------------------------------------------------------------ reset

    /**
     * Initialises the lock again for an operator, under the initialisation lock: refused while a
     * live participant holds or waits for it. Marks the lock possibly torn if a dead holder was
     * writing.
     */
    static boolean reset(RegionFile region, int index, String name) {
        java.nio.MappedByteBuffer buffer = region.buffer;
        RegionHeader header = region.header;
        int record = RegionLayout.lockRecordOffset(header, index);
        boolean wasWriting = false;
        boolean anyDead = (int) INTS.getVolatile(buffer, record + RegionLayout.LOCK_DEAD_HOLDER_SLOT_OFFSET) != 0;
        for (int slot = 0; slot < header.slotCapacity(); slot++) {
            int holder = RegionLayout.holderOffset(header, slot, index);
            if (!active(buffer, holder)) {
                continue;
            }
            if (region.slots.isSlotHeld(slot)) {
                throw new RegionInUseException(
                        "Lock '" + name + "' of region '" + region.options.name() + "' was not reset:"
                                + " participant slot " + slot + " (pid " + buffer.getLong(RegionLayout.slotOffset(slot)
                                        + RegionLayout.SLOT_PID_OFFSET)
                                + ") is alive and holds or waits for it. Resetting would corrupt"
                                + " its hold; let its waits time out or stop it, then reset again.");
            }
            anyDead = true;
            wasWriting |= (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WRITING_OFFSET) != 0;
        }
        wasWriting |= ((long) LONGS.getVolatile(buffer, record) & DIED_WRITING) != 0;
        PosixLock.initialise(region.address, header, index, region.options.file());
        for (int slot = 0; slot < header.slotCapacity(); slot++) {
            int holder = RegionLayout.holderOffset(header, slot, index);
            if (active(buffer, holder)) { // dead (checked above): nothing of it is in the new lock
                long held;
                do {
                    held = (long) LONGS.getVolatile(buffer, holder);
                } while (!LONGS.compareAndSet(buffer, holder, held, held & ~HOLDS_MASK));
                INTS.setVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_READERS_OFFSET, 0);
                INTS.setVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_WRITERS_OFFSET, 0);
                INTS.setVolatile(buffer, holder + RegionLayout.HOLDER_WRITING_OFFSET, 0);
            }
        }
        INTS.setVolatile(buffer, record + RegionLayout.LOCK_DEAD_HOLDER_SLOT_OFFSET, 0);
        LONGS.setVolatile(buffer, record + RegionLayout.LOCK_DEAD_HOLDER_PID_OFFSET, 0L);
        LONGS.setVolatile(buffer, record,
                ((long) LONGS.getVolatile(buffer, record) & LockWord.TORN) | (wasWriting ? LockWord.TORN : 0L));
        return anyDead;
    }

    // ------------------------------------------------------------------ torn and statistics

    @Override
    int writerSlot() {
        return writingSlot();
    }

    private void check(String call, int error) {
        if (error != 0) {
            throw failure(call, error);
        }
    }

    private NativeCallException failure(String call, int error) {
        return Native.failure(call,
                "lock '" + name + "' of region '" + region.options.name() + "' (" + region.file + ")",
                error);
    }
}

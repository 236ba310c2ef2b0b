package io.hostsync.internal.lock;

import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.RegionFormatException;
import io.hostsync.internal.os.Futex;
import io.hostsync.internal.region.HeaderFormat;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.region.RegionMutex;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A small crash-safe mutex in a region, for the writers of one entry (a value, a map, a
 * semaphore's books). Threads of this JVM queue on a JVM-local lock first, so only one of them
 * competes with other processes. The owner word holds the owning slot and generation; a waiter
 * that finds the owner dead (confirmed by the kernel) takes the mutex over. What the mutex
 * protects must therefore stay readable whatever instant its holder dies at: values write the
 * copy that is not committed, semaphores change one word at a time.
 *
 * <p>Waiting: only one thread per JVM waits at the host level, the others wait on the JVM-local
 * lock, so the host waiter is also its JVM's liveness checker for the mutex. It sleeps on the
 * waiters' futex word in the order that cannot lose a wake-up (read the word, announce itself in
 * the sleepers word, look at the owner again, sleep: {@link FutexWaiter#sleepUnlessChanged});
 * {@link #unlock()} clears the owner before it looks for sleepers and then wakes <em>one</em> of
 * them, since only one can take the mutex; a waiter that slept sets the sleepers word again as
 * it takes the mutex, so that its own unlock wakes the next (once none is left, that costs one
 * wake of nobody), and one that gives up after a wake passes it on. Every sleep ends when the next
 * liveness check is due, one interval after the last one, so a dead owner is replaced within one
 * interval. The wait for a live owner has no bound, as with any mutex: the owner's own work (an
 * update function) decides how long it holds. An owner word naming a slot outside the slot table
 * is corruption and fails with a {@link RegionFormatException} rather than being waited for or
 * taken over: its slot number may alias a live process's record, and nothing says what else in
 * the entry was damaged with it.
 *
 * <p>What the mutex protects has watchers of its own (a value's listeners, a semaphore's
 * acquirers), who wait for a change of the data, not for the mutex: they sleep on a second word,
 * the changes word ({@link #awaitChange}), which only {@link #signalChange()} moves, called by
 * whoever made a change they may wait for. So taking and releasing the mutex wakes no watcher,
 * and a change wakes no thread waiting for the mutex.
 *
 * <pre>
 *   +0  owner: slot + 1 (bits 0-31) and generation (bits 32-63), 0 when free
 *   +8  waiters' futex word, bumped by an unlock that finds sleepers
 *   +12 waiters' sleepers: 1 while a waiter for the mutex may sleep on the word at +8
 *   +16 changes futex word, bumped by {@link #signalChange()} when it finds sleepers
 *   +20 changes' sleepers: 1 while a watcher may sleep on the word at +16
 * </pre>
 *
 * Not reentrant: a thread that asks again while holding it gets an {@link IllegalStateException}.
 */
public final class HostMutex implements RegionMutex {

    private static final int OWNER = 0;
    private static final int FUTEX = 8;
    private static final int SLEEPERS = 12;
    private static final int CHANGES = 16;
    private static final int CHANGE_SLEEPERS = 20;
    /** Bytes a mutex takes at the start of a block. */
    public static final int SIZE = 64;

    private static final int SPINS = 100;

    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final int base;
    private final long futexAddress;
    private final long changesAddress;
    private final long mine;
    private final String description;
    private final ReentrantLock local = new ReentrantLock();

    /**
     * A mutex at {@code base} of a region.
     *
     * @param region the open region
     * @param base the offset of the mutex's {@link #SIZE} bytes
     * @param description what it guards, for messages ("Value 'prices' of region 'orders'")
     */
    public HostMutex(RegionFile region, int base, String description) {
        this.region = region;
        this.buffer = region.buffer;
        this.base = base;
        this.futexAddress = region.address + base + FUTEX;
        this.changesAddress = region.address + base + CHANGES;
        this.mine = LockWord.ownerBits(region.slot, region.generation);
        this.description = description;
    }

    /** Takes the mutex, waiting as long as it takes; a dead owner is replaced. */
    @Override
    public void lock() {
        if (local.isHeldByCurrentThread()) {
            throw new IllegalStateException(description + " is being changed by this thread already: do not change it"
                    + " from inside its own update function");
        }
        local.lock();
        boolean entered = false;
        try {
            region.gate.enter(); // the slot stays ours until unlock(): a close waits for this hold
            entered = true;
            acquireHost();
        } catch (RuntimeException | Error e) {
            if (entered) {
                region.gate.leave();
            }
            local.unlock();
            throw e;
        }
    }

    private void acquireHost() {
        region.ensureOpen();
        for (int spin = 0; spin < SPINS; spin++) {
            // Look before the CAS: a failing CAS still takes the line from the owner.
            if ((long) LONGS.getVolatile(buffer, base + OWNER) == 0
                    && LONGS.compareAndSet(buffer, base + OWNER, 0L, mine)) {
                return;
            }
            Thread.onSpinWait();
        }
        long lastCheck = 0;
        boolean checked = false;
        boolean slept = false;
        try {
            while (true) {
                long owner = (long) LONGS.getVolatile(buffer, base + OWNER);
                if (owner == 0) {
                    if (LONGS.compareAndSet(buffer, base + OWNER, 0L, mine)) {
                        if (slept) {
                            announceSleeper(); // woken alone, others may sleep: our unlock wakes the next
                        }
                        return;
                    }
                    continue;
                }
                int slot = ownerSlot(owner);
                long now = System.nanoTime();
                if (!checked || now - lastCheck >= LockBackends.LIVENESS_NANOS) {
                    checked = true;
                    lastCheck = now;
                    if (!region.slots.isAlive(slot, owner >>> LockWord.GENERATION_SHIFT)) {
                        if (LONGS.compareAndSet(buffer, base + OWNER, owner, mine)) {
                            if (slept) {
                                announceSleeper();
                            }
                            return; // its holder died; what it protects is readable at any instant by design
                        }
                        continue;
                    }
                }
                region.ensureOpen();
                slept = true;
                FutexWaiter.sleepUnlessChanged(buffer, base + FUTEX, futexAddress, this::announceSleeper,
                        () -> (long) LONGS.getVolatile(buffer, base + OWNER) == owner,
                        lastCheck + LockBackends.LIVENESS_NANOS - now);
            }
        } catch (RuntimeException | Error e) {
            if (slept) { // an unlock may have woken this waiter alone, clearing the flag: pass the turn on
                INTS.getAndAdd(buffer, base + FUTEX, 1);
                Futex.wakeOne(futexAddress);
            }
            throw e;
        }
    }

    /** The owner's slot, checked against the slot table before anything reads that slot's record. */
    private int ownerSlot(long owner) {
        long slot = (owner & 0xFFFF_FFFFL) - 1;
        if (slot < 0 || slot >= region.header.slotCapacity()) {
            throw HeaderFormat.corrupted(region.file, "has a corrupted mutex owner word in " + description
                    + " (offset " + base + "): slot " + slot + ", outside the slot table of "
                    + region.header.slotCapacity()
                    + " slots");
        }
        return (int) slot;
    }

    private void announceSleeper() {
        INTS.setVolatile(buffer, base + SLEEPERS, 1);
    }

    /** Releases the mutex and wakes one thread of another process waiting for it, if any sleeps. */
    @Override
    public void unlock() {
        try {
            // Only our own ownership: a process that found this slot dead may own it now.
            LONGS.compareAndSet(buffer, base + OWNER, mine, 0L);
            if ((int) INTS.getVolatile(buffer, base + SLEEPERS) != 0) {
                wakeOneWaiter();
            }
        } finally {
            region.gate.leave();
            local.unlock();
        }
    }

    private void wakeOneWaiter() {
        if ((int) INTS.getAndSet(buffer, base + SLEEPERS, 0) != 0) {
            INTS.getAndAdd(buffer, base + FUTEX, 1); // after the sleepers' flag: a sleeper that set it read the word before
            Futex.wakeOne(futexAddress);
        }
    }

    /**
     * Wakes the watchers sleeping in {@link #awaitChange}, if any: call it after changing what
     * they wait for (a value committed, permits returned), never before.
     */
    public void signalChange() {
        VarHandle.fullFence(); // the change may be a release store: it must not pass the look at the flag below
        if ((int) INTS.getVolatile(buffer, base + CHANGE_SLEEPERS) != 0
                && (int) INTS.getAndSet(buffer, base + CHANGE_SLEEPERS, 0) != 0) {
            INTS.getAndAdd(buffer, base + CHANGES, 1); // after the sleepers' flag: a sleeper that set it read the word before
            Futex.wakeAll(changesAddress);
        }
    }

    /**
     * Sleeps until {@link #signalChange()} moves the changes word or the time is up, unless
     * {@code stillWaiting} turns false after announcing the sleep. Taking and releasing the mutex
     * do not end it.
     *
     * @param timeoutNanos the longest sleep
     * @param stillWaiting whether the caller still has reason to sleep
     */
    public void awaitChange(long timeoutNanos, BooleanSupplier stillWaiting) {
        FutexWaiter.sleepUnlessChanged(buffer, base + CHANGES, changesAddress,
                () -> INTS.setVolatile(buffer, base + CHANGE_SLEEPERS, 1), stillWaiting, Math.max(1, timeoutNanos));
    }

    /**
     * Whether the calling thread holds the mutex.
     *
     * @return whether it does
     */
    public boolean isHeldByCurrentThread() {
        return local.isHeldByCurrentThread();
    }
}

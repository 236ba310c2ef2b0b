package io.hostsync.internal.lock;

import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.LockHolder;
import io.hostsync.LockStatistics;
import io.hostsync.RWLock;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.region.RegionLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What every backend shares: the lock's record and this slot's holder record in the region, and
 * the statistics read from the holder records of every slot.
 */
abstract class RecordedLock implements LockBackend {

    /** Holder word: reads held by the slot in bits 0-23, read acquisitions in bits 24-63. */
    static final long HOLDS_MASK = (1L << 24) - 1;
    static final long READ_ACQUISITION = 1L << 24;
    /** The read acquisitions a holder word keeps: its upper 40 bits, which wrap after 2^40. */
    private static final long STORED_ACQUISITIONS_MASK = (1L << 40) - 1;

    private static final @Nullable MethodHandle IS_VIRTUAL = isVirtualHandle();

    final RegionFile region;
    final MappedByteBuffer buffer;
    final String name;
    final int index;
    /** Offset of the lock record (its state word comes first). */
    final int record;
    final int slots;
    final int mySlot;
    final int myHolder;
    /** Where slot 0's holder record of this lock is; {@link RegionLayout#holderOffset} is linear in the slot. */
    private final int holderOfSlotZero;
    private final int holderRowStride;

    /**
     * This slot's counters when this JVM first used the lock: left by earlier owners of the slot,
     * they count for the host but not for this process.
     */
    private final long[] baseline = new long[6];

    /**
     * Each slot's read acquisitions as this JVM has seen them grow, wraps of the stored 40 bits
     * included (its low 40 bits are the stored value last seen), or -1 before the first look;
     * allocated at the first look, guarded by {@code this}.
     */
    private long @Nullable [] readAcquisitionsSeen;

    RecordedLock(RegionFile region, int index, String name) {
        this.region = region;
        this.buffer = region.buffer;
        this.name = name;
        this.index = index;
        this.record = RegionLayout.lockRecordOffset(region.header, index);
        this.slots = region.header.slotCapacity();
        this.mySlot = region.slot;
        this.myHolder = RegionLayout.holderOffset(region.header, region.slot, index);
        this.holderOfSlotZero = RegionLayout.holderOffset(region.header, 0, index);
        this.holderRowStride = region.header.holderRowStride();
        addCounters(baseline, mySlot, (long) LONGS.getVolatile(buffer, myHolder));
    }

    /**
     * The offset of {@code slot}'s holder record of this lock: from two numbers fixed at open,
     * since a writer's drain check and every waiting scan call this per slot, and deriving it from
     * the header each time showed on the uncontended write pair.
     */
    final int holder(int slot) {
        return holderOfSlotZero + slot * holderRowStride;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final RegionFile region() {
        return region;
    }

    /** The slot whose writer owns the lock now, or -1. */
    abstract int writerSlot();

    // ------------------------------------------------------------------ this slot's books

    /**
     * Counts one more read hold of this process, or fails, changing nothing, if it already has
     * {@link RWLock#MAX_READ_HOLDS}. Threads that race past the limit each add and take back one:
     * the 65,535 holds of room above the limit keep the 24-bit field from ever wrapping to 0, which
     * would tell writers that this process reads nothing.
     */
    final void addReadHold() {
        long before = (long) LONGS.getAndAdd(buffer, myHolder, 1 + READ_ACQUISITION);
        if ((before & HOLDS_MASK) >= RWLock.MAX_READ_HOLDS) {
            LONGS.getAndAdd(buffer, myHolder, -(1 + READ_ACQUISITION));
            throw tooManyReadHolds();
        }
    }

    /**
     * For a backend that counts a read hold only once it has taken it: fails, changing nothing,
     * if this process has no room for another ({@link #countReadHold()} follows the acquisition).
     */
    final void checkReadHoldRoom() {
        if (((long) LONGS.getVolatile(buffer, myHolder) & HOLDS_MASK) >= RWLock.MAX_READ_HOLDS) {
            throw tooManyReadHolds();
        }
    }

    /** Counts a read hold already taken, after {@link #checkReadHoldRoom()}; racing threads stay within the room above the limit. */
    final void countReadHold() {
        LONGS.getAndAdd(buffer, myHolder, 1 + READ_ACQUISITION);
    }

    private Error tooManyReadHolds() {
        // An Error, as ReentrantReadWriteLock throws for its own limit: a program that gets here
        // takes read locks in a loop and never releases them.
        return new Error("Maximum read lock count (" + RWLock.MAX_READ_HOLDS + ") of lock '" + name + "' in region '"
                + region.options.name() + "' exceeded: the threads of this process hold it that many times at once."
                + " Release every read lock you take, in a finally block.");
    }

    /** Takes back a read hold added by {@link #addReadHold()} for an attempt that failed. */
    final void undoReadHold() {
        LONGS.getAndAdd(buffer, myHolder, -(1 + READ_ACQUISITION));
    }

    final void dropReadHold() {
        LONGS.getAndAdd(buffer, myHolder, -1L);
    }

    final void addWaiting(int offset, int delta) {
        INTS.getAndAdd(buffer, myHolder + offset, delta);
    }

    final void startWriting() {
        INTS.setOpaque(buffer, myHolder + RegionLayout.HOLDER_WRITING_OFFSET, 1);
        VarHandle.storeStoreFence(); // the flag is visible before any of the writer's data
        int acquisitions = myHolder + RegionLayout.HOLDER_WRITE_ACQUISITIONS_OFFSET;
        LONGS.setOpaque(buffer, acquisitions, (long) LONGS.getOpaque(buffer, acquisitions) + 1);
    }

    final void stopWriting() {
        INTS.setRelease(buffer, myHolder + RegionLayout.HOLDER_WRITING_OFFSET, 0);
    }

    final void countRecovery() {
        LONGS.getAndAdd(buffer, myHolder + RegionLayout.HOLDER_RECOVERIES_OFFSET, 1L);
    }

    final void finishWait(long start, boolean acquired) {
        long waited = System.nanoTime() - start;
        LONGS.getAndAdd(buffer, myHolder + RegionLayout.HOLDER_WAIT_NANOS_OFFSET, waited);
        if (acquired) {
            LONGS.getAndAdd(buffer, myHolder + RegionLayout.HOLDER_CONTENDED_OFFSET, 1L);
        } else {
            LONGS.getAndAdd(buffer, myHolder + RegionLayout.HOLDER_TIMEOUTS_OFFSET, 1L);
        }
        if (acquired) {
            region.ensureOpen(); // a wait that ended after the region was lost must not report success
        }
    }

    /** The slot that has its writing flag set, or -1. */
    final int writingSlot() {
        for (int slot = 0; slot < slots; slot++) {
            if ((int) INTS.getVolatile(buffer, holder(slot) + RegionLayout.HOLDER_WRITING_OFFSET) != 0
                    && region.slots.isSlotActive(slot)) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * Takes a JVM-local lock as an acquisition asks: forever (interruptibly or not), or within
     * what is left of {@code timeoutNanos} since {@code start} (0: one try that honours a fair
     * lock's queue).
     */
    static boolean acquireInJvm(java.util.concurrent.locks.Lock lock, long start, long timeoutNanos,
            boolean interruptible) throws InterruptedException {
        if (timeoutNanos < 0 && !interruptible) {
            lock.lock();
            return true;
        }
        if (timeoutNanos < 0) {
            lock.lockInterruptibly();
            return true;
        }
        return lock.tryLock(Math.max(0, timeoutNanos - (System.nanoTime() - start)),
                java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    // ------------------------------------------------------------------ torn

    /** Whether a writer died while writing and nobody has said the data is consistent since. */
    @Override
    public final boolean isPossiblyTorn() {
        return ((long) LONGS.getVolatile(buffer, record) & LockWord.TORN) != 0;
    }

    /** Marks the lock possibly torn: its writer died while writing. */
    final void markTorn() {
        LONGS.getAndBitwiseOr(buffer, record, LockWord.TORN);
    }

    @Override
    public final void markConsistent() {
        long s;
        do {
            s = (long) LONGS.getVolatile(buffer, record);
        } while ((s & LockWord.TORN) != 0 && !LONGS.compareAndSet(buffer, record, s, s & ~LockWord.TORN));
    }

    // ------------------------------------------------------------------ statistics

    /**
     * Before host statistics are read: asks the kernel whether a writer died, so that the
     * "possibly torn" mark shows (in the endpoint, health and metrics) as soon as anyone looks,
     * not only once another process next asks for the lock. Nothing by default; never called
     * once the region is closed here.
     */
    void noticeDeadWriter() {
    }

    /** Host-wide figures: every live slot's holds and waits, and every slot's counters. */
    @Override
    public final LockStatistics hostStatistics() {
        if (region.gate.tryEnter()) { // recovery counts into this slot's record: only while the slot is ours
            try {
                noticeDeadWriter();
            } finally {
                region.gate.leave();
            }
        }
        long reads = 0;
        int waitingReaders = 0;
        int waitingWriters = 0;
        long[] counters = new long[6];
        for (int slot = 0; slot < slots; slot++) {
            int holder = holder(slot);
            boolean live = region.slots.isSlotActive(slot);
            long held = (long) LONGS.getVolatile(buffer, holder);
            if (live) {
                reads += held & HOLDS_MASK;
                waitingReaders += (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_READERS_OFFSET);
                waitingWriters += (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_WRITERS_OFFSET);
            }
            addCounters(counters, slot, held);
        }
        return statistics(reads, waitingReaders, waitingWriters, counters);
    }

    /** Every live slot that holds or waits for this lock. */
    @Override
    public final List<LockHolder> holders() {
        List<LockHolder> holders = new ArrayList<>();
        int owner = writerSlot();
        for (int slot = 0; slot < slots; slot++) {
            int holder = holder(slot);
            long reads = (long) LONGS.getVolatile(buffer, holder) & HOLDS_MASK;
            int waitingReaders = (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_READERS_OFFSET);
            int waitingWriters = (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_WRITERS_OFFSET);
            if ((reads != 0 || waitingReaders != 0 || waitingWriters != 0 || slot == owner)
                    && region.slots.isSlotActive(slot)) {
                holders.add(new LockHolder(slot, reads, slot == owner, waitingReaders, waitingWriters,
                        (long) LONGS.getOpaque(buffer, holder + RegionLayout.HOLDER_WRITE_ACQUISITIONS_OFFSET)));
            }
        }
        return holders;
    }

    /** This process's figures: its holds and waits, and what it counted since it first used the lock. */
    @Override
    public final LockStatistics processStatistics() {
        long held = (long) LONGS.getVolatile(buffer, myHolder);
        long[] counters = new long[6];
        addCounters(counters, mySlot, held);
        for (int i = 0; i < counters.length; i++) {
            counters[i] -= baseline[i];
        }
        LockStatistics all = statistics(held & HOLDS_MASK,
                (int) INTS.getVolatile(buffer, myHolder + RegionLayout.HOLDER_WAITING_READERS_OFFSET),
                (int) INTS.getVolatile(buffer, myHolder + RegionLayout.HOLDER_WAITING_WRITERS_OFFSET), counters);
        return all.writerSlot() == mySlot ? all
                : new LockStatistics(all.lock(), all.readHolds(), -1,
                        all.waitingReaders(), all.waitingWriters(), all.readAcquisitions(), all.writeAcquisitions(),
                        all.contendedAcquisitions(), all.totalWait(), all.timeouts(), all.recoveries(),
                        all.possiblyTorn());
    }

    private void addCounters(long[] counters, int slot, long held) {
        int holder = holder(slot);
        counters[0] += readAcquisitions(slot, held >>> 24);
        counters[1] += (long) LONGS.getOpaque(buffer, holder + RegionLayout.HOLDER_WRITE_ACQUISITIONS_OFFSET);
        counters[2] += (long) LONGS.getOpaque(buffer, holder + RegionLayout.HOLDER_CONTENDED_OFFSET);
        counters[3] += (long) LONGS.getOpaque(buffer, holder + RegionLayout.HOLDER_WAIT_NANOS_OFFSET);
        counters[4] += (long) LONGS.getOpaque(buffer, holder + RegionLayout.HOLDER_TIMEOUTS_OFFSET);
        counters[5] += (long) LONGS.getOpaque(buffer, holder + RegionLayout.HOLDER_RECOVERIES_OFFSET);
    }

    /**
     * The read acquisitions of {@code slot}, from the 40 bits its holder word stores, counting
     * every wrap this JVM has seen, so that the figures (and the meters built on them) never go
     * back. A change of 2^39 or more between two looks is taken for a decrease (a failed read
     * attempt takes its acquisition back) and ignored: statistics must be read at least once per
     * 2^39 read acquisitions of a slot (more than an hour at full speed), which any metrics
     * scrape does.
     */
    private synchronized long readAcquisitions(int slot, long stored) {
        if (readAcquisitionsSeen == null) {
            readAcquisitionsSeen = new long[slots];
            java.util.Arrays.fill(readAcquisitionsSeen, -1);
        }
        long seen = readAcquisitionsSeen[slot];
        if (seen < 0) {
            seen = stored;
        } else {
            long growth = (stored - seen) & STORED_ACQUISITIONS_MASK;
            if (growth < 1L << 39) {
                seen += growth;
            }
        }
        readAcquisitionsSeen[slot] = seen;
        return seen;
    }

    private LockStatistics statistics(long reads, int waitingReaders, int waitingWriters, long[] counters) {
        return new LockStatistics(name, reads, writerSlot(), waitingReaders, waitingWriters, counters[0], counters[1],
                counters[2], Duration.ofNanos(counters[3]), counters[4], counters[5], isPossiblyTorn());
    }

    // ------------------------------------------------------------------ platform

    private static @Nullable MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // Java 17: no virtual threads
        }
    }

    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            return false;
        }
    }
}

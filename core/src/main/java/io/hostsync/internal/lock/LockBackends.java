package io.hostsync.internal.lock;

import io.hostsync.Backend;
import io.hostsync.RWLock;
import io.hostsync.RegionHeader;
import io.hostsync.internal.region.HeaderFormat;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.region.RegionLayout;
import io.hostsync.internal.region.Words;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The lock backends of a region, chosen by its header: opening a lock record as a
 * {@link LockBackend}, preparing new records, releasing a dead slot's share, and the operator's
 * reset of a {@code posix} lock.
 */
public final class LockBackends {

    /** The longest a waiter sleeps before it asks the kernel again whether what blocks it is alive. */
    public static final long LIVENESS_NANOS = TimeUnit.MILLISECONDS.toNanos(RWLock.DEFAULT_LIVENESS_INTERVAL_MILLIS);

    private LockBackends() {
    }

    /**
     * Opens the named lock of a region, creating its record if needed.
     *
     * @param region the open region
     * @param name a valid lock name
     * @return the host-wide half of the lock, for the region's backend
     */
    public static LockBackend open(RegionFile region, String name) {
        return openRecord(region, region.locks.findOrCreate(name), name);
    }

    /**
     * Opens a lock record as the region's backend: a named lock's, or one a keyed lock has pinned.
     *
     * @param region the open region
     * @param index the lock record
     * @param name the lock's name, or a keyed lock's family, for messages and statistics
     * @return the host-wide half of the lock, for the region's backend
     */
    public static LockBackend openRecord(RegionFile region, int index, String name) {
        checkRecord(region.buffer, region.header, region.file, index, name);
        return switch (region.header.backend()) {
            case ROBUST -> new RobustLock(region, index, name, LIVENESS_NANOS);
            case POSIX -> new PosixLock(region, index, name);
            case FILE -> new FileLock(region, index, name);
        };
    }

    /**
     * Refuses a lock record whose stored slot numbers lie beyond the slot table: the lock
     * protocols index holder records and slot bytes with them, so a damaged one would make them
     * read or clear another structure's bytes. Checked once, when the lock is opened, so that
     * acquiring and releasing stay as short as they are.
     */
    static void checkRecord(ByteBuffer buffer, RegionHeader header, Path file, int index, String name) {
        int slots = header.slotCapacity();
        int record = RegionLayout.lockRecordOffset(header, index);
        String lock = "lock '" + name + "' (record " + index + ")";
        int owner = LockWord.ownerSlot((long) Words.LONGS.getVolatile(buffer, record));
        if (owner >= slots) {
            throw HeaderFormat.corrupted(file, "has a corrupted " + lock + ": its state word names owner slot " + owner
                    + ", beyond the " + slots + " slots of the region");
        }
        int lastWord = RegionLayout.LOCK_READER_BITMAP_OFFSET + (slots - 1) / 64 * Long.BYTES;
        long unused = slots % 64 == 0 ? 0 : -1L << (slots % 64); // bits of slots the last bitmap word does not have
        long beyond = (long) Words.LONGS.getVolatile(buffer, record + lastWord) & unused;
        if (beyond != 0) {
            throw HeaderFormat.corrupted(file, "has a corrupted " + lock + ": its reader bitmap marks slot "
                    + ((slots - 1) / 64 * 64 + Long.numberOfTrailingZeros(beyond)) + ", beyond the " + slots
                    + " slots of the region");
        }
        int deadHolder = (int) Words.INTS.getVolatile(buffer, record + RegionLayout.LOCK_DEAD_HOLDER_SLOT_OFFSET);
        if (header.backend() == Backend.POSIX && (deadHolder < 0 || deadHolder > slots)) {
            throw HeaderFormat.corrupted(file, "has a corrupted " + lock + ": its dead holder slot field is "
                    + deadHolder + ", outside 0 to " + slots);
        }
    }

    /**
     * Prepares a new lock record for the region's backend (under the initialisation lock).
     *
     * @param address the mapping's native address
     * @param header the region's header
     * @param index the lock record
     * @param file the region file, for messages
     */
    public static void initialiseRecord(long address, RegionHeader header, int index, Path file) {
        if (header.backend() == Backend.POSIX) {
            PosixLock.initialise(address, header, index, file);
        }
    }

    /**
     * Tells whether a keyed lock's record may be reclaimed (its record marked as being
     * reclaimed, under the lock table's claim mutex): no live slot pins it, and its lock is
     * neither held nor possibly torn. A dead owner is removed from the state word on the way, as
     * a waiter would, marking the lock torn if it died writing; such a record stays the key's
     * until a writer of that key calls {@link RWLock#markConsistent()}. Dead slots' holder
     * records are only read: a slot claimed again meanwhile belongs to a live process.
     *
     * @param region the open region
     * @param index the lock record
     * @return whether the record may be reused
     */
    public static boolean isIdle(RegionFile region, int index) {
        MappedByteBuffer buffer = region.buffer;
        RegionHeader header = region.header;
        for (int slot = 0; slot < header.slotCapacity(); slot++) {
            int pins = RegionLayout.holderOffset(header, slot, index) + RegionLayout.HOLDER_PINS_OFFSET;
            if ((int) Words.INTS.getVolatile(buffer, pins) != 0
                    && (slot == region.slot || region.slots.isSlotHeld(slot))) {
                return false; // a live thread holds, waits for or is about to lock it: it pinned it first
            }
        }
        int record = RegionLayout.lockRecordOffset(header, index);
        long state = (long) Words.LONGS.getVolatile(buffer, record);
        int owner = LockWord.ownerSlot(state);
        if (owner >= 0) {
            if (owner == region.slot || region.slots.isAlive(owner, state >>> LockWord.GENERATION_SHIFT)) {
                return false;
            }
            boolean torn = (int) Words.INTS.getVolatile(buffer, RegionLayout.holderOffset(header, owner, index)
                    + RegionLayout.HOLDER_WRITING_OFFSET) != 0;
            Words.LONGS.compareAndSet(buffer, record, state, LockWord.afterDeadOwner(state, torn));
        }
        if (header.backend() == Backend.FILE) {
            for (int slot = 0; slot < header.slotCapacity(); slot++) {
                int writing = RegionLayout.holderOffset(header, slot, index) + RegionLayout.HOLDER_WRITING_OFFSET;
                if ((int) Words.INTS.getVolatile(buffer, writing) != 0 && slot != region.slot
                        && !region.slots.isSlotHeld(slot)) {
                    Words.LONGS.getAndBitwiseOr(buffer, record, LockWord.TORN); // as the next holder would find it
                }
            }
        }
        state = (long) Words.LONGS.getVolatile(buffer, record);
        return (state & LockWord.TORN) == 0 && LockWord.ownerSlot(state) < 0;
    }

    /**
     * Tells whether a lock is marked possibly torn.
     *
     * @param buffer the mapping
     * @param header the region's header
     * @param index the lock record
     * @return whether the torn mark is set
     */
    public static boolean isTorn(ByteBuffer buffer, RegionHeader header, int index) {
        return ((long) Words.LONGS.getVolatile(buffer, RegionLayout.lockRecordOffset(header, index))
                & LockWord.TORN) != 0;
    }

    /**
     * Releases, in every lock record, what the dead previous owner of a slot held, and marks a
     * lock possibly torn if it died writing (under the initialisation lock, by the process that
     * has just claimed the slot). Leaves the slot's holder records with nothing held or waited for.
     *
     * @param buffer the mapping
     * @param header the region's header
     * @param slot the slot just claimed
     */
    public static void reclaimSlot(MappedByteBuffer buffer, RegionHeader header, int slot) {
        for (int lock = 0; lock < header.lockCapacity(); lock++) {
            if (header.backend() == Backend.POSIX) {
                PosixLock.noteDeadSlot(buffer, header, lock, slot); // its holds stay in glibc's lock
            } else if (header.backend() == Backend.FILE) {
                FileLock.noteDeadSlot(buffer, header, lock, slot);
            }
            RobustLock.reclaimSlot(buffer, header, lock, slot);
            // The dead owner's pins of keyed records: nothing of it waits or holds any more.
            Words.INTS.setVolatile(buffer,
                    RegionLayout.holderOffset(header, slot, lock) + RegionLayout.HOLDER_PINS_OFFSET, 0);
        }
    }

    /**
     * Initialises the named {@code posix} lock again, for an operator, once every process that
     * held or waited for it is dead.
     *
     * @param region the open region
     * @param name the lock's name
     * @return whether it was reset
     */
    public static boolean reset(RegionFile region, String name) {
        if (region.header.backend() != Backend.POSIX) {
            throw new IllegalStateException("Lock '" + name + "' of region '" + region.options.name() + "' uses the "
                    + region.header.backend().configName()
                    + " backend, which frees a dead holder's share by itself: there"
                    + " is nothing to reset. Only posix locks need an operator after a crash.");
        }
        int index = region.locks.find(name);
        if (index < 0) {
            throw new IllegalArgumentException("Region '" + region.options.name() + "' has no lock '" + name
                    + "'; its locks are " + region.locks.names());
        }
        return region.underInitLock(() -> PosixLock.reset(region, index, name));
    }
}

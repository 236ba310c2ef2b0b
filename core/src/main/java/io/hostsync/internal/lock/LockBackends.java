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
        int index = region.locks.findOrCreate(name);
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
                    + region.header.backend().configName() + " backend, which frees a dead holder's share by itself: there"
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

package io.hostsync.internal.region;

import io.hostsync.RegionHeader;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * What the layers above the region file (the lock backends, the shared state) do at a region's
 * turning points. The region layer calls them under the region's initialisation lock, so no
 * other process creates a record or claims a slot meanwhile.
 */
public interface RegionHooks {

    /**
     * Prepares a new lock record for the region's backend.
     *
     * @param address the native address of the mapping (0 on the portable layer)
     * @param header the region's header
     * @param index the lock record
     * @param file the region file, for messages
     */
    void initialiseLock(long address, RegionHeader header, int index, Path file);

    /**
     * Releases whatever the previous owner of a slot this process has just claimed held: that
     * owner is dead, since its slot's byte lock was free.
     *
     * @param buffer the mapping
     * @param header the region's header
     * @param slot the slot just claimed
     * @param file the region file, for messages
     */
    void reclaimSlot(MappedByteBuffer buffer, RegionHeader header, int slot, Path file);

    /**
     * Tells whether a keyed lock's record may be reclaimed: no live slot pins it, and its lock
     * is free and not possibly torn. Releases on the way whatever dead slots held of it (marking
     * the lock torn if one died writing). Called under the initialisation lock, with the record
     * marked {@link RegionLayout#LOCK_RECLAIMING}.
     *
     * @param region the open region
     * @param index the lock record
     * @return whether nobody alive holds, waits for or pins the lock, and it is not torn; by
     *     default {@code false}: without a lock layer, no record is reclaimed
     */
    default boolean isLockIdle(RegionFile region, int index) {
        return false;
    }

    /**
     * Tells whether a lock is marked possibly torn, for messages.
     *
     * @param buffer the mapping
     * @param header the region's header
     * @param index the lock record
     * @return whether its writer died writing and nobody declared it consistent since
     */
    default boolean isLockTorn(ByteBuffer buffer, RegionHeader header, int index) {
        return false;
    }

    /**
     * Makes a crash-safe mutex of the {@code io.hostsync.internal.lock} layer at {@code base} of the
     * region: the lock table's claim mutex.
     *
     * @param region the open region
     * @param base the offset of the mutex's 64 bytes
     * @param description what it guards, for messages
     * @return the mutex
     */
    RegionMutex mutex(RegionFile region, int base, String description);
}

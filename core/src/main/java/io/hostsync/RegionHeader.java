package io.hostsync;

import io.hostsync.internal.region.RegionLayout;
import java.time.Instant;

/**
 * The validated header of a region, as its creator wrote it.
 *
 * @param layoutVersion the layout version, {@link RegionLayout#LAYOUT_VERSION} for this library
 * @param size the region size in bytes
 * @param pageSize the page size the layout is aligned to
 * @param created when the region was created
 * @param flags layout flags, 0 in layout version 1
 * @param slotCapacity how many processes may have the region open at once
 * @param lockCapacity how many locks (the default lock and named ones) the region can hold
 * @param entryCapacity how many named entries (counters, arrays, values...) the directory holds
 * @param dataOffset where the data area (the directory, then the heap) starts
 * @param backend the lock backend of every lock of the region
 */
public record RegionHeader(int layoutVersion, long size, int pageSize, Instant created, long flags,
        int slotCapacity, int lockCapacity, int entryCapacity, long dataOffset, Backend backend) {

    /** @return where entry blocks are allocated, after the directory */
    public long heapOffset() {
        return RegionLayout.heapOffset(slotCapacity, lockCapacity, entryCapacity);
    }

    /** @return where the lock table starts */
    public long lockTableOffset() {
        return RegionLayout.lockTableOffset(slotCapacity);
    }

    /** @return the size of one lock record */
    public int lockStride() {
        return RegionLayout.lockStride(slotCapacity);
    }

    /** @return where the holder table starts */
    public long holderTableOffset() {
        return RegionLayout.holderTableOffset(slotCapacity, lockCapacity);
    }

    /** @return the size of one row of the holder table */
    public int holderRowStride() {
        return RegionLayout.holderRowStride(lockCapacity);
    }
}

package io.hostsync.internal.region;

import static io.hostsync.internal.region.RegionLayout.BYTE_ORDER;

import io.hostsync.Backend;
import io.hostsync.RegionFormatException;
import io.hostsync.RegionHeader;
import io.hostsync.RegionMismatchException;
import io.hostsync.RegionOptions;
import io.hostsync.RegionSetting;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The region header: building it from the options, writing it into a new region, and
 * validating an existing one against the layout and against what this process asked for.
 */
public final class HeaderFormat {

    /** Layout versions above this are taken for damage: hostsync will not publish a thousand layouts. */
    static final int MAX_PLAUSIBLE_LAYOUT_VERSION = 1000;

    private HeaderFormat() {
    }

    static RegionHeader newHeader(RegionOptions options) {
        int slots = options.maxParticipants();
        int locks = options.maxLocks();
        return new RegionHeader(RegionLayout.LAYOUT_VERSION, options.size(), RegionLayout.PAGE_SIZE,
                Instant.ofEpochMilli(System.currentTimeMillis()), 0L, slots, locks, options.maxEntries(),
                RegionLayout.dataOffset(slots, locks), options.backend());
    }

    /** Writes every header field but the magic, which the creator writes last (with release). */
    static void write(MappedByteBuffer buffer, RegionHeader header) {
        buffer.putInt(RegionLayout.LAYOUT_VERSION_OFFSET, header.layoutVersion());
        buffer.putInt(RegionLayout.PAGE_SIZE_OFFSET, header.pageSize());
        buffer.putLong(RegionLayout.REGION_SIZE_OFFSET, header.size());
        buffer.putLong(RegionLayout.CREATION_TIME_OFFSET, header.created().toEpochMilli());
        buffer.putLong(RegionLayout.FLAGS_OFFSET, header.flags());
        buffer.putInt(RegionLayout.SLOT_TABLE_OFFSET_OFFSET, RegionLayout.SLOT_TABLE_OFFSET);
        buffer.putInt(RegionLayout.SLOT_CAPACITY_OFFSET, header.slotCapacity());
        buffer.putInt(RegionLayout.SLOT_STRIDE_OFFSET, RegionLayout.SLOT_STRIDE);
        buffer.putLong(RegionLayout.DATA_OFFSET_OFFSET, header.dataOffset());
        buffer.putInt(RegionLayout.LOCK_CAPACITY_OFFSET, header.lockCapacity());
        buffer.putInt(RegionLayout.LOCK_STRIDE_OFFSET, header.lockStride());
        buffer.putLong(RegionLayout.LOCK_TABLE_OFFSET_OFFSET, header.lockTableOffset());
        buffer.putLong(RegionLayout.HOLDER_TABLE_OFFSET_OFFSET, header.holderTableOffset());
        buffer.putInt(RegionLayout.HOLDER_ROW_STRIDE_OFFSET, header.holderRowStride());
        buffer.putInt(RegionLayout.ENTRY_CAPACITY_OFFSET, header.entryCapacity());
        buffer.putLong(RegionLayout.HEAP_OFFSET_OFFSET, header.heapOffset());
        buffer.putLong(RegionLayout.HEAP_TOP_OFFSET, header.heapOffset());
        buffer.putInt(RegionLayout.LOCK_BACKEND_OFFSET, header.backend().code());
    }

    /**
     * Reads the first bytes of a region file.
     *
     * @param channel the file
     * @param length how many bytes
     * @return them, in the region's byte order
     * @throws IOException if reading fails
     */
    public static ByteBuffer readHeaderBytes(FileChannel channel, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length).order(BYTE_ORDER);
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
            // keep reading: positional reads of a regular file may return fewer bytes
        }
        return bytes;
    }

    static RegionFormatException foreign(RegionOptions options, long size, String finding) {
        return new RegionFormatException("File " + options.file() + " (" + size
                + " bytes) is not a hostsync region: it " + finding
                + " where a region starts with 'HOSTSYNC'. Another program may use this name: remove or move the file if it"
                + " is not needed, or choose another region name or directory.",
                options.name(), options.file(), null);
    }

    /**
     * Validates a region's header against the layout and the file's size.
     *
     * @param bytes the header's bytes
     * @param fileSize the file's size
     * @param file the region file, for messages
     * @return the header
     * @throws RegionFormatException if it is not a header of this layout
     */
    public static RegionHeader validate(ByteBuffer bytes, long fileSize, Path file) {
        int version = bytes.getInt(RegionLayout.LAYOUT_VERSION_OFFSET);
        // A newer layout keeps the page size and the region size where version 1 has them (layout.md);
        // a version far beyond any release, or without those, is damage, not an upgrade to make.
        boolean plausiblyNewer = version <= MAX_PLAUSIBLE_LAYOUT_VERSION
                && bytes.getInt(RegionLayout.PAGE_SIZE_OFFSET) == RegionLayout.PAGE_SIZE
                && bytes.getLong(RegionLayout.REGION_SIZE_OFFSET) == fileSize;
        if (version > RegionLayout.LAYOUT_VERSION && plausiblyNewer) {
            throw new RegionFormatException("Region file " + file + " has layout version " + version
                    + ", written by a newer"
                    + " hostsync; this library reads layout version " + RegionLayout.LAYOUT_VERSION
                    + " only. Upgrade hostsync"
                    + " in this application to the version the other applications use, or use another region name.",
                    null, file, null);
        }
        if (fileSize < RegionLayout.PAGE_SIZE) {
            throw corrupted(file,
                    "is " + fileSize + " bytes long, shorter than a region header (" + RegionLayout.PAGE_SIZE
                            + " bytes): it was truncated");
        }
        long size = bytes.getLong(RegionLayout.REGION_SIZE_OFFSET);
        if (size != fileSize) {
            throw corrupted(file, "is " + fileSize + " bytes long but its header says " + size + " bytes: it was "
                    + (fileSize < size ? "truncated" : "extended") + " by something other than hostsync");
        }
        int capacity = bytes.getInt(RegionLayout.SLOT_CAPACITY_OFFSET);
        int lockCapacity = bytes.getInt(RegionLayout.LOCK_CAPACITY_OFFSET);
        int entryCapacity = bytes.getInt(RegionLayout.ENTRY_CAPACITY_OFFSET);
        long heapTop = bytes.getLong(RegionLayout.HEAP_TOP_OFFSET);
        long dataOffset = bytes.getLong(RegionLayout.DATA_OFFSET_OFFSET);
        int backendCode = bytes.getInt(RegionLayout.LOCK_BACKEND_OFFSET);
        Backend backend = Backend.fromCode(backendCode);
        if (backend == null) {
            throw corrupted(file, "names lock backend " + backendCode + ", which is none of robust (0), posix (1) and"
                    + " file (2)");
        }
        boolean locksValid = lockCapacity >= RegionLayout.MIN_LOCK_CAPACITY
                && lockCapacity <= RegionLayout.MAX_LOCK_CAPACITY
                && capacity >= RegionLayout.MIN_SLOT_CAPACITY && capacity <= RegionLayout.MAX_SLOT_CAPACITY
                && bytes.getInt(RegionLayout.LOCK_STRIDE_OFFSET) == RegionLayout.lockStride(capacity)
                && bytes.getLong(RegionLayout.LOCK_TABLE_OFFSET_OFFSET) == RegionLayout.lockTableOffset(capacity)
                && bytes.getLong(RegionLayout.HOLDER_TABLE_OFFSET_OFFSET) == RegionLayout.holderTableOffset(capacity,
                        lockCapacity)
                && bytes.getInt(RegionLayout.HOLDER_ROW_STRIDE_OFFSET) == RegionLayout.holderRowStride(lockCapacity)
                && entryCapacity >= RegionLayout.MIN_ENTRY_CAPACITY && entryCapacity <= RegionLayout.MAX_ENTRY_CAPACITY
                && bytes.getLong(RegionLayout.HEAP_OFFSET_OFFSET) == RegionLayout.heapOffset(capacity, lockCapacity,
                        entryCapacity)
                && heapTop >= bytes.getLong(RegionLayout.HEAP_OFFSET_OFFSET) && heapTop <= size;
        if (version < 1 || version > RegionLayout.LAYOUT_VERSION || !locksValid
                || bytes.getInt(RegionLayout.PAGE_SIZE_OFFSET) != RegionLayout.PAGE_SIZE
                || bytes.getInt(RegionLayout.SLOT_TABLE_OFFSET_OFFSET) != RegionLayout.SLOT_TABLE_OFFSET
                || bytes.getInt(RegionLayout.SLOT_STRIDE_OFFSET) != RegionLayout.SLOT_STRIDE
                || capacity < RegionLayout.MIN_SLOT_CAPACITY || capacity > RegionLayout.MAX_SLOT_CAPACITY
                || dataOffset != RegionLayout.dataOffset(capacity, lockCapacity)
                || size < RegionLayout.minimumSize(capacity, lockCapacity, entryCapacity)) {
            throw corrupted(file, "has an inconsistent header (layout version " + version + ", " + capacity
                    + " slots, " + lockCapacity + " locks, " + entryCapacity + " entries, data offset " + dataOffset
                    + ", heap top " + heapTop + ", size " + size + ")");
        }
        return new RegionHeader(version, size, RegionLayout.PAGE_SIZE,
                Instant.ofEpochMilli(bytes.getLong(RegionLayout.CREATION_TIME_OFFSET)),
                bytes.getLong(RegionLayout.FLAGS_OFFSET), capacity, lockCapacity, entryCapacity, dataOffset, backend);
    }

    /**
     * The exception for a region whose stored bytes break the layout.
     *
     * @param file the region file
     * @param finding what is wrong, as the rest of a sentence about the file
     * @return the exception, to be thrown by the caller
     */
    public static RegionFormatException corrupted(Path file, String finding) {
        return new RegionFormatException("Region file " + file + " " + finding + ". It cannot be used safely: stop the"
                + " processes that use it, delete the file, and let hostsync create it again.", null, file, null);
    }

    static void checkMatches(RegionHeader header, RegionOptions options, Path file) {
        if (header.backend() != options.backend()) {
            throw new RegionMismatchException("Region '" + options.name() + "' (" + file + ") exists with lock backend "
                    + header.backend().configName() + ", but this process asked for " + options.backend().configName()
                    + ". Processes using different backends would not exclude each other, so every process must use the"
                    + " same: configure backend " + header.backend().configName() + ", or delete the region while no"
                    + " process uses it so that it is created again with the new backend.", options.name(), file,
                    RegionSetting.BACKEND, header.backend(), options.backend());
        }
        if (header.size() != options.size()) {
            throw new RegionMismatchException(
                    "Region '" + options.name() + "' (" + file + ") exists with size " + header.size()
                            + " bytes, but this process asked for " + options.size()
                            + " bytes. Every process must open a region"
                            + " with the same size: configure size " + header.size()
                            + ", or delete the region while no process"
                            + " uses it so that it is created again with the new size.",
                    options.name(), file,
                    RegionSetting.SIZE, header.size(), options.size());
        }
        if (header.slotCapacity() != options.maxParticipants()) {
            throw new RegionMismatchException("Region '" + options.name() + "' (" + file + ") exists with "
                    + header.slotCapacity() + " participant slots, but this process asked for "
                    + options.maxParticipants()
                    + ". Every process must open a region with the same maxParticipants: configure "
                    + header.slotCapacity() + ", or delete the region while no process uses it.", options.name(), file,
                    RegionSetting.MAX_PARTICIPANTS, header.slotCapacity(), options.maxParticipants());
        }
        if (header.entryCapacity() != options.maxEntries()) {
            throw new RegionMismatchException("Region '" + options.name() + "' (" + file + ") exists with room for "
                    + header.entryCapacity() + " entries, but this process asked for " + options.maxEntries()
                    + ". Every process must open a region with the same maxEntries: configure "
                    + header.entryCapacity() + ", or delete the region while no process uses it.", options.name(), file,
                    RegionSetting.MAX_ENTRIES, header.entryCapacity(), options.maxEntries());
        }
        if (header.lockCapacity() != options.maxLocks()) {
            throw new RegionMismatchException("Region '" + options.name() + "' (" + file + ") exists with room for "
                    + header.lockCapacity() + " locks, but this process asked for " + options.maxLocks()
                    + ". Every process must open a region with the same maxLocks: configure "
                    + header.lockCapacity() + ", or delete the region while no process uses it.", options.name(), file,
                    RegionSetting.MAX_LOCKS, header.lockCapacity(), options.maxLocks());
        }
    }
}

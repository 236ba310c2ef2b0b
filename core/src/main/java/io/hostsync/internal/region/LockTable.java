package io.hostsync.internal.region;

import static io.hostsync.internal.region.Words.INTS;

import io.hostsync.RegionFullException;
import io.hostsync.RegionHeader;
import io.hostsync.RegionSetting;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lock table of an open region: lock records found and created by name. What a record
 * holds besides its name belongs to the lock backend ({@code io.hostsync.internal.lock}); a
 * new record is prepared for it through {@link RegionHooks#initialiseLock}.
 */
public final class LockTable {

    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final RegionHeader header;

    LockTable(RegionFile region) {
        this.region = region;
        this.buffer = region.buffer;
        this.header = region.header;
    }

    /**
     * Names of the locks in use in the region.
     *
     * @return the names, by index
     */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (int index = 0; index < header.lockCapacity(); index++) {
            String name = name(index);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Finds a lock record by name.
     *
     * @param name the lock's name
     * @return its index, or -1 if there is none
     */
    public int find(String name) {
        for (int index = 0; index < header.lockCapacity(); index++) {
            if (name.equals(name(index))) {
                return index;
            }
        }
        return -1;
    }

    private String name(int index) {
        return readName(buffer, header, region.file, index);
    }

    /**
     * Reads the name of a lock record, checking its stored length.
     *
     * @param buffer the mapping
     * @param header the region's header
     * @param file the region file, for messages
     * @param index the lock record
     * @return its name, or null if the record is free
     * @throws io.hostsync.RegionFormatException if its name length is impossible
     */
    public static String readName(ByteBuffer buffer, RegionHeader header, Path file, int index) {
        int record = RegionLayout.lockRecordOffset(header, index);
        if ((int) INTS.getAcquire(buffer, record + RegionLayout.LOCK_IN_USE_OFFSET) != 1) {
            return null;
        }
        int length = buffer.getInt(record + RegionLayout.LOCK_NAME_LENGTH_OFFSET);
        if (length < 0 || length > RegionLayout.LOCK_NAME_CAPACITY) {
            throw HeaderFormat.corrupted(file, "has a corrupted lock record " + index + ": its name length " + length
                    + ", outside 0 to " + RegionLayout.LOCK_NAME_CAPACITY + " bytes");
        }
        byte[] bytes = new byte[length];
        buffer.get(record + RegionLayout.LOCK_NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Finds the named lock record, or creates it under the initialisation lock (unless another
     * process just did), prepared for the region's backend.
     *
     * @param name a valid lock name
     * @return its index
     * @throws RegionFullException if every record is in use
     */
    public int findOrCreate(String name) {
        int found = find(name);
        if (found >= 0) {
            return found;
        }
        return region.underInitLock(() -> {
            int index = find(name);
            if (index >= 0) {
                return index;
            }
            for (index = 0; index < header.lockCapacity(); index++) {
                if (name(index) == null) {
                    region.hooks().initialiseLock(region.address, header, index, region.file);
                    writeName(buffer, header, index, name);
                    return index;
                }
            }
            throw new RegionFullException("Region '" + region.options.name() + "' (" + region.file + ") has no room for"
                    + " lock '" + name + "': all " + header.lockCapacity() + " lock records are in use ("
                    + String.join(", ", names()) + "). Recreate the region with a larger maxLocks, or use fewer lock names.",
                    region.options.name(), region.file, RegionSetting.MAX_LOCKS, header.lockCapacity());
        });
    }

    /** Names a record; its in-use flag is written last, with release. */
    static void writeName(MappedByteBuffer buffer, RegionHeader header, int index, String name) {
        int record = RegionLayout.lockRecordOffset(header, index);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        buffer.putInt(record + RegionLayout.LOCK_NAME_LENGTH_OFFSET, bytes.length);
        buffer.put(record + RegionLayout.LOCK_NAME_OFFSET, bytes);
        INTS.setRelease(buffer, record + RegionLayout.LOCK_IN_USE_OFFSET, 1);
    }
}

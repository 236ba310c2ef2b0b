package io.hostsync.internal.region;

import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.EntryMismatchException;
import io.hostsync.RegionFullException;
import io.hostsync.RegionHeader;
import io.hostsync.RegionSetting;
import io.hostsync.state.EntryInfo;
import io.hostsync.state.EntryType;
import io.hostsync.state.MapCapacity;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The directory of named entries of an open region, and the heap their blocks are allocated
 * from. Entries are created under the region's initialisation lock and never removed.
 */
public final class Directory {

    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final RegionHeader header;

    Directory(RegionFile region) {
        this.region = region;
        this.buffer = region.buffer;
        this.header = region.header;
    }

    /**
     * Finds the entry of that name, or creates it with a zeroed block of {@code blockLength}
     * bytes. An existing entry must have the same type and parameter.
     *
     * @param name a valid entry name
     * @param type its type
     * @param parameter its length, capacity or permits
     * @param blockLength the bytes its block needs
     * @return the entry
     * @throws EntryMismatchException if it exists with another type or parameter
     */
    public EntryInfo entry(String name, EntryType type, long parameter, long blockLength) {
        return entry(name, type, parameter, blockLength, block -> {
        });
    }

    /**
     * Finds the entry of that name, or creates it with a zeroed block of {@code blockLength}
     * bytes that {@code initialiser} fills in before any other process can find the entry.
     *
     * @param name a valid entry name
     * @param type its type
     * @param parameter its length, capacity or permits
     * @param blockLength the bytes its block needs
     * @param initialiser called with the new block's offset, under the initialisation lock, before
     *     the entry is published; not called for an existing entry
     * @return the entry
     * @throws EntryMismatchException if it exists with another type or parameter
     */
    public EntryInfo entry(String name, EntryType type, long parameter, long blockLength, LongConsumer initialiser) {
        EntryInfo found = findEntry(name);
        if (found == null) {
            found = region.underInitLock(() -> {
                EntryInfo raced = findEntry(name);
                return raced != null ? raced : createEntry(name, type, parameter, blockLength, initialiser);
            });
        }
        if (found.type() == type && found.parameter() == parameter && found.blockLength() < blockLength) {
            // The type and parameter are this process's, so valid; only the stored block can be short.
            throw HeaderFormat.corrupted(region.file,
                    "has a corrupted directory entry '" + name + "': " + describe(type,
                            parameter) + " with a block of " + found.blockLength() + " bytes, smaller than the "
                            + blockLength
                            + " bytes it needs");
        }
        if (found.type() != type || found.parameter() != parameter) {
            throw new EntryMismatchException("Entry '" + name + "' of region '" + region.options.name() + "' ("
                    + region.file + ") exists as "
                    + describe(found.type(), found.parameter()) + ", but this process asked for "
                    + describe(type, parameter)
                    + ". Use the same type and size everywhere, or another name.");
        }
        return found;
    }

    private static String describe(EntryType type, long parameter) {
        return switch (type) {
            case COUNTER -> "a counter";
            case LONG_ARRAY, INT_ARRAY, DOUBLE_ARRAY -> "a " + type + " of length " + parameter;
            case VALUE -> "a " + type + " of capacity " + parameter + " bytes";
            case ENCODED_MAP -> "a map of capacity " + parameter + " bytes in the encoded format of hostsync before"
                    + " SharedMap became a hash table, which this version no longer reads (delete the region, or use"
                    + " another name, to create a new map)";
            case MAP -> "a map of " + MapCapacity.describe(parameter);
            case CACHE -> "a cache of " + MapCapacity.describe(parameter);
            case BYTES -> "BYTES of size " + parameter;
            case SEMAPHORE -> "a semaphore of " + parameter + " permits";
        };
    }

    /**
     * Returns the first heap byte not yet allocated: everything before it is in use.
     *
     * @return an offset in the region
     */
    public long heapTop() {
        return (long) LONGS.getVolatile(buffer, RegionLayout.HEAP_TOP_OFFSET);
    }

    /**
     * Lists the entries of the region's directory.
     *
     * @return the entries, in directory order
     */
    public List<EntryInfo> entries() {
        return entries(buffer, header, region.file);
    }

    /**
     * Lists the entries of a region's directory, for a caller that has no open region yet (a
     * slot being claimed).
     *
     * @param buffer the mapping
     * @param header the region's header
     * @param file the region file, for messages
     * @return the entries, in directory order
     */
    public static List<EntryInfo> entries(ByteBuffer buffer, RegionHeader header, Path file) {
        List<EntryInfo> entries = new ArrayList<>();
        for (int index = 0; index < header.entryCapacity(); index++) {
            EntryInfo entry = readEntry(buffer, header, file, index);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private @Nullable EntryInfo findEntry(String name) {
        for (int index = 0; index < header.entryCapacity(); index++) {
            EntryInfo entry = readEntry(buffer, header, region.file, index);
            if (entry != null && entry.name().equals(name)) {
                return entry;
            }
        }
        return null;
    }

    /**
     * Reads one directory entry, checking every stored field against the layout.
     *
     * @param buffer the mapping
     * @param header the region's header
     * @param file the region file, for messages
     * @param index the entry
     * @return the entry, or null if it is free
     * @throws io.hostsync.RegionFormatException if a field is impossible
     */
    public static @Nullable EntryInfo readEntry(ByteBuffer buffer, RegionHeader header, Path file, int index) {
        int entry = RegionLayout.entryOffset(header, index);
        if ((int) INTS.getAcquire(buffer, entry + RegionLayout.ENTRY_STATE_OFFSET) != 1) {
            return null;
        }
        int nameLength = buffer.getInt(entry + RegionLayout.ENTRY_NAME_LENGTH_OFFSET);
        if (nameLength < 1 || nameLength > RegionLayout.ENTRY_NAME_CAPACITY) {
            throw HeaderFormat.corrupted(file,
                    "has a corrupted directory entry " + index + ": its name length " + nameLength
                            + ", outside 1 to " + RegionLayout.ENTRY_NAME_CAPACITY + " bytes");
        }
        byte[] name = new byte[nameLength];
        buffer.get(entry + RegionLayout.ENTRY_NAME_OFFSET, name);
        String described = "directory entry " + index + " ('" + new String(name, StandardCharsets.UTF_8) + "')";
        int typeCode = buffer.getInt(entry + RegionLayout.ENTRY_TYPE_OFFSET);
        EntryType type = EntryType.fromCode(typeCode);
        long offset = buffer.getLong(entry + RegionLayout.ENTRY_BLOCK_OFFSET);
        long length = buffer.getLong(entry + RegionLayout.ENTRY_BLOCK_LENGTH_OFFSET);
        String problem = type == null ? "its type " + typeCode + " is none of 1 to 9"
                : offset % RegionLayout.BLOCK_ALIGNMENT != 0 ? "its block offset " + offset + " is not a multiple of "
                        + RegionLayout.BLOCK_ALIGNMENT
                        : length <= 0 || length % RegionLayout.BLOCK_ALIGNMENT != 0 ? "its block length " + length
                                + " is not a positive multiple of " + RegionLayout.BLOCK_ALIGNMENT
                                // subtraction, not offset + length, which a damaged length could overflow
                                : offset < header.heapOffset() || offset > header.size()
                                        || length > header.size() - offset
                                                ? "its block " + offset + "+" + length + " is outside the heap ("
                                                        + header.heapOffset() + " to "
                                                        + header.size() + ")"
                                                : null;
        if (problem != null || type == null) { // a null type has a problem: the test says so to the null checker
            throw HeaderFormat.corrupted(file, "has a corrupted " + described + ": " + problem);
        }
        return new EntryInfo(new String(name, StandardCharsets.UTF_8), type,
                buffer.getLong(entry + RegionLayout.ENTRY_PARAMETER_OFFSET), offset, length);
    }

    private void zero(long start, long length) {
        byte[] zeros = new byte[(int) Math.min(length, 64 * 1024)];
        for (long done = 0; done < length; done += zeros.length) {
            buffer.put((int) (start + done), zeros, 0, (int) Math.min(zeros.length, length - done));
        }
    }

    /** Called under the initialisation lock. Refuses before writing anything if there is no room. */
    private EntryInfo createEntry(String name, EntryType type, long parameter, long blockLength,
            LongConsumer initialiser) {
        int free = -1;
        for (int index = 0; index < header.entryCapacity() && free < 0; index++) {
            if ((int) INTS.getAcquire(buffer,
                    RegionLayout.entryOffset(header, index) + RegionLayout.ENTRY_STATE_OFFSET) != 1) {
                free = index;
            }
        }
        if (free < 0) {
            throw new RegionFullException(
                    "Region '" + region.options.name() + "' (" + region.file + ") has no room for entry '" + name
                            + "': all " + header.entryCapacity()
                            + " directory entries are in use. Recreate the region with a"
                            + " larger maxEntries, or use fewer names.",
                    region.options.name(), region.file,
                    RegionSetting.MAX_ENTRIES, header.entryCapacity());
        }
        long top = (long) LONGS.getVolatile(buffer, RegionLayout.HEAP_TOP_OFFSET);
        if (top < header.heapOffset() || top > header.size()) {
            throw HeaderFormat.corrupted(region.file,
                    "has a corrupted header: its heap top " + top + " is outside the heap ("
                            + header.heapOffset() + " to " + header.size() + ")");
        }
        long start = (top + RegionLayout.BLOCK_ALIGNMENT - 1) / RegionLayout.BLOCK_ALIGNMENT
                * RegionLayout.BLOCK_ALIGNMENT;
        long length = (blockLength + RegionLayout.BLOCK_ALIGNMENT - 1) / RegionLayout.BLOCK_ALIGNMENT
                * RegionLayout.BLOCK_ALIGNMENT;
        if (start + length > header.size()) {
            throw new RegionFullException(
                    "Region '" + region.options.name() + "' (" + region.file + ") has no room for entry '" + name
                            + "' (" + describe(type, parameter) + "): it needs " + length + " bytes and " + Math.max(0,
                                    header.size() - start)
                            + " of the heap's " + (header.size() - header.heapOffset())
                            + " bytes are free. Recreate the region with a larger size, or make the entry smaller.",
                    region.options.name(), region.file, RegionSetting.SIZE, header.size());
        }
        // Heap bytes are zero unless something wrote where it must not; a new entry must start from
        // zero all the same (a semaphore's held permits, a value's control word), so zero it before
        // anyone can find it.
        zero(start, length);
        initialiser.accept(start);
        int entry = RegionLayout.entryOffset(header, free);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        buffer.putInt(entry + RegionLayout.ENTRY_TYPE_OFFSET, type.code());
        buffer.putLong(entry + RegionLayout.ENTRY_BLOCK_OFFSET, start);
        buffer.putLong(entry + RegionLayout.ENTRY_BLOCK_LENGTH_OFFSET, length);
        buffer.putLong(entry + RegionLayout.ENTRY_PARAMETER_OFFSET, parameter);
        buffer.putInt(entry + RegionLayout.ENTRY_NAME_LENGTH_OFFSET, bytes.length);
        buffer.put(entry + RegionLayout.ENTRY_NAME_OFFSET, bytes);
        LONGS.setVolatile(buffer, RegionLayout.HEAP_TOP_OFFSET, start + length);
        INTS.setRelease(buffer, entry + RegionLayout.ENTRY_STATE_OFFSET, 1);
        return new EntryInfo(name, type, parameter, start, length);
    }
}

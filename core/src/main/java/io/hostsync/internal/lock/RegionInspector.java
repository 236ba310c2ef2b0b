package io.hostsync.internal.lock;

import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.Backend;
import io.hostsync.HostsyncException;
import io.hostsync.LockHolder;
import io.hostsync.Participant;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionFormatException;
import io.hostsync.RegionHeader;
import io.hostsync.RegionOptions;
import io.hostsync.RegionReport.KeyedLockReport;
import io.hostsync.RegionReport.LockReport;
import io.hostsync.RegionReport.SlotReport;
import io.hostsync.RegionReport;
import io.hostsync.internal.os.FileStatus;
import io.hostsync.internal.os.RegionDescriptor;
import io.hostsync.internal.region.Directory;
import io.hostsync.internal.region.HeaderFormat;
import io.hostsync.internal.region.KeyedName;
import io.hostsync.internal.region.LockTable;
import io.hostsync.internal.region.RegionLayout;
import io.hostsync.internal.region.SlotTable;
import io.hostsync.internal.table.HashTable;
import io.hostsync.internal.table.TableLayout;
import io.hostsync.state.EntryInfo;
import io.hostsync.state.EntryType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a region file without joining it — no slot claimed, no lock taken, a read-only mapping —
 * and reports what it holds and every structural problem, using the same checks as the processes
 * that use the region (header, lock records, directory entries), so that the checker and the
 * library never disagree about what is damaged. Liveness is the kernel's answer for each slot's
 * byte lock, as for a waiter.
 */
public final class RegionInspector {

    private RegionInspector() {
    }

    /**
     * Inspects a region file.
     *
     * @param file the region file, named {@code hostsync-<name>}
     * @return what was found
     * @throws RegionAccessException if there is no such file, or it cannot be opened
     */
    public static RegionReport inspect(Path file) {
        Path name = file.getFileName();
        if (name == null || !name.toString().startsWith(RegionOptions.FILE_PREFIX)) {
            throw new RegionAccessException("Cannot inspect " + file + ": region files are named "
                    + RegionOptions.FILE_PREFIX + "<region>, such as /dev/shm/hostsync-orders. Give the path of one.",
                    null, file, RegionAccessException.Refused.FILE, null);
        }
        // Not null: an absolute path with a file name has a parent, if only the root.
        Path directory = Objects.requireNonNull(file.toAbsolutePath().getParent(), "parent of " + file);
        RegionOptions options = RegionOptions.builder(name.toString().substring(RegionOptions.FILE_PREFIX.length()))
                .directory(directory).build();
        RegionDescriptor descriptor = RegionDescriptor.openExisting(options);
        if (descriptor == null) {
            throw new RegionAccessException(
                    "Cannot inspect " + file + ": there is no such file. Regions live in /dev/shm"
                            + " unless configured otherwise: list them with 'ls -l /dev/shm/hostsync-*'.",
                    options.name(), file,
                    RegionAccessException.Refused.FILE, null);
        }
        try {
            return inspect(options.file(), descriptor);
        } catch (IOException e) {
            throw new HostsyncException("I/O error while inspecting region file " + file + ": " + e, e);
        } finally {
            descriptor.close();
        }
    }

    private static RegionReport inspect(Path file, RegionDescriptor descriptor) throws IOException {
        List<String> problems = new ArrayList<>();
        List<SlotReport> slots = new ArrayList<>();
        List<LockReport> locks = new ArrayList<>();
        List<KeyedLockReport> keyedLocks = new ArrayList<>();
        List<EntryInfo> entries = new ArrayList<>();
        FileStatus status = descriptor.status();
        FileChannel channel = descriptor.channel();
        long magic = status.size >= Long.BYTES ? HeaderFormat.readHeaderBytes(channel, Long.BYTES).getLong(0) : 0;
        RegionHeader header = null;
        if (magic == RegionLayout.INIT_MAGIC || status.size == 0) {
            problems.add("The region is being created, or its creator died before finishing (magic 'HOSTINIT' or an"
                    + " empty file): the next process to open it initialises it again.");
        } else if (magic != RegionLayout.MAGIC) {
            problems.add("The file is not a hostsync region: it starts with '" + RegionLayout.magicText(magic) + "'.");
        } else {
            try {
                header = HeaderFormat.validate(HeaderFormat.readHeaderBytes(channel, RegionLayout.HEADER_FIELDS_LENGTH),
                        status.size, file);
            } catch (RegionFormatException e) {
                problems.add(e.getMessage());
            }
        }
        if (header == null) {
            return new RegionReport(file, null, slots, locks, entries, problems);
        }
        ByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, header.size()).order(RegionLayout.BYTE_ORDER);
        boolean[] alive = new boolean[header.slotCapacity()];
        for (int slot = 0; slot < header.slotCapacity(); slot++) {
            alive[slot] = descriptor.isLockedByOther(RegionLayout.slotOffset(slot));
            int base = RegionLayout.slotOffset(slot);
            int state = (int) INTS.getAcquire(buffer, base + RegionLayout.SLOT_STATE_OFFSET);
            int hostLength = buffer.getInt(base + RegionLayout.SLOT_HOST_LENGTH_OFFSET);
            if (state != RegionLayout.SLOT_STATE_FREE && state != RegionLayout.SLOT_STATE_ACTIVE) {
                problems.add("Slot " + slot + ": state " + state + ", which is neither free (0) nor active (1).");
            }
            if (hostLength < 0 || hostLength > RegionLayout.HOST_NAME_CAPACITY) {
                problems.add("Slot " + slot + ": host name length " + hostLength + ", outside 0 to "
                        + RegionLayout.HOST_NAME_CAPACITY + ".");
            }
            if (alive[slot] || state == RegionLayout.SLOT_STATE_ACTIVE) {
                Participant participant = SlotTable.readParticipant(buffer, slot, false);
                slots.add(new SlotReport(slot, alive[slot], state == RegionLayout.SLOT_STATE_ACTIVE, participant));
            }
        }
        for (int index = 0; index < header.lockCapacity(); index++) {
            Object lock = inspectLock(buffer, header, file, index, alive, problems);
            if (lock instanceof LockReport named) {
                locks.add(named);
            } else if (lock instanceof KeyedLockReport keyed) {
                keyedLocks.add(keyed);
            }
        }
        long heapTop = (long) LONGS.getVolatile(buffer, RegionLayout.HEAP_TOP_OFFSET);
        for (int index = 0; index < header.entryCapacity(); index++) {
            try {
                EntryInfo entry = Directory.readEntry(buffer, header, file, index);
                if (entry == null) {
                    continue;
                }
                if (entry.blockOffset() + entry.blockLength() > heapTop) {
                    problems.add("Entry " + index + " ('" + entry.name() + "'): its block " + entry.blockOffset() + "+"
                            + entry.blockLength() + " ends beyond the heap top " + heapTop + ".");
                }
                if (entry.type() == EntryType.VALUE || entry.type() == EntryType.ENCODED_MAP) {
                    checkValueCopies(buffer, entry, problems);
                }
                if (entry.type() == EntryType.MAP || entry.type() == EntryType.CACHE) {
                    checkTableHeader(buffer, entry, problems);
                }
                entries.add(entry);
            } catch (RegionFormatException e) {
                problems.add(e.getMessage());
            }
        }
        List<EntryInfo> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(EntryInfo::blockOffset));
        for (int i = 1; i < byOffset.size(); i++) {
            EntryInfo before = byOffset.get(i - 1);
            EntryInfo after = byOffset.get(i);
            if (before.blockOffset() + before.blockLength() > after.blockOffset()) {
                problems.add("Entries '" + before.name() + "' and '" + after.name() + "' have overlapping blocks ("
                        + before.blockOffset() + "+" + before.blockLength() + " and " + after.blockOffset() + "+"
                        + after.blockLength() + ").");
            }
        }
        return new RegionReport(file, header, slots, locks, keyedLocks, entries, problems);
    }

    /**
     * Lists the keyed locks that have a record now in a region this process has open, read from
     * its mapping as {@link #inspect(Path)} reads them; a damaged record is left out (the checker
     * reports it).
     *
     * @param buffer the region's mapping
     * @param header its header
     * @param file the region file
     * @param alive whether each slot is held by a live process
     * @return the keyed locks, in record order
     */
    public static List<KeyedLockReport> keyedLocks(ByteBuffer buffer, RegionHeader header, Path file, boolean[] alive) {
        List<KeyedLockReport> keyed = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (int index = 0; index < header.lockCapacity(); index++) {
            if (inspectLock(buffer, header, file, index, alive, ignored) instanceof KeyedLockReport report) {
                keyed.add(report);
            }
        }
        return keyed;
    }

    /** A {@link LockReport} for a named record, a {@link KeyedLockReport} for a keyed one, or null. */
    private static @Nullable Object inspectLock(ByteBuffer buffer, RegionHeader header, Path file, int index,
            boolean[] alive,
            List<String> problems) {
        int record = RegionLayout.lockRecordOffset(header, index);
        int inUse = (int) INTS.getAcquire(buffer, record + RegionLayout.LOCK_IN_USE_OFFSET);
        if (inUse < RegionLayout.LOCK_FREE || inUse > RegionLayout.LOCK_RECLAIMING) {
            problems.add("Lock record " + index + ": in-use flag " + inUse + ", which is none of 0 (free), 1 (named),"
                    + " 2 (keyed) and 3 (keyed, being reclaimed).");
            return null;
        }
        if (inUse == RegionLayout.LOCK_FREE) {
            return null;
        }
        boolean keyed = inUse != RegionLayout.LOCK_NAMED;
        String name;
        @Nullable
        KeyedName key = null;
        try {
            if (keyed) {
                key = LockTable.readKeyedName(buffer, header, index);
                name = key.toString();
            } else {
                name = LockTable.readName(buffer, header, file, index);
                if (name == null) {
                    return null; // freed since the flag was read
                }
            }
            LockBackends.checkRecord(buffer, header, file, index, name);
        } catch (RegionFormatException e) {
            problems.add(e.getMessage());
            return null;
        }
        long state = (long) LONGS.getVolatile(buffer, record);
        int writer = header.backend() == Backend.ROBUST ? LockWord.ownerSlot(state) : -1;
        int bitmap = record + RegionLayout.LOCK_READER_BITMAP_OFFSET;
        List<LockHolder> holders = new ArrayList<>();
        long pins = 0;
        for (int slot = 0; slot < header.slotCapacity(); slot++) {
            int holder = RegionLayout.holderOffset(header, slot, index);
            if (keyed && alive[slot]) { // a dead slot's pins count nowhere, and are cleared when its slot is claimed again
                pins += (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_PINS_OFFSET);
            }
            long reads = (long) LONGS.getVolatile(buffer, holder + RegionLayout.HOLDER_READS_OFFSET)
                    & RecordedLock.HOLDS_MASK;
            int waitingReaders = (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_READERS_OFFSET);
            int waitingWriters = (int) INTS.getVolatile(buffer, holder + RegionLayout.HOLDER_WAITING_WRITERS_OFFSET);
            if (waitingReaders < 0 || waitingWriters < 0) {
                problems.add("Lock '" + name + "', slot " + slot + ": negative waiting counts (" + waitingReaders
                        + " readers, " + waitingWriters + " writers).");
            }
            boolean marked = ((long) LONGS.getVolatile(buffer, bitmap + slot / 64 * Long.BYTES)
                    & (1L << (slot % 64))) != 0;
            if (header.backend() == Backend.ROBUST && reads != 0 && !marked) {
                problems.add("Lock '" + name + "', slot " + slot + ": " + reads + " read holds, but the lock's reader"
                        + " bitmap does not mark the slot, so a writer would not wait for them.");
            }
            if (reads != 0 || waitingReaders != 0 || waitingWriters != 0 || slot == writer) {
                holders.add(new LockHolder(slot, reads, slot == writer, waitingReaders, waitingWriters,
                        (long) LONGS.getVolatile(buffer, holder + RegionLayout.HOLDER_WRITE_ACQUISITIONS_OFFSET)));
            }
        }
        boolean writerAlive = writer >= 0 && alive[writer];
        boolean torn = (state & LockWord.TORN) != 0;
        if (key != null) {
            return new KeyedLockReport(index, key.family(), key.key(), key.isDigest(), pins, writer, writerAlive, torn,
                    holders);
        }
        return new LockReport(index, name, writer, writerAlive, torn, holders);
    }

    /** A map's table header must give the geometry its capacity (the entry's parameter) gives (layout.md, "Map block"). */
    private static void checkTableHeader(ByteBuffer buffer, EntryInfo entry, List<String> problems) {
        int entries = (int) entry.parameter();
        int averageBytes = (int) (entry.parameter() >>> 32);
        if (entries < 1 || entries > TableLayout.MAX_ENTRIES || averageBytes < 1
                || averageBytes > TableLayout.MAX_AVERAGE_ENTRY_BYTES) {
            problems.add("Entry '" + entry.name() + "': a map capacity of " + entries + " entries of " + averageBytes
                    + " bytes on average is out of range.");
            return;
        }
        TableLayout.Geometry geometry;
        try {
            geometry = TableLayout.geometry(entries, averageBytes);
        } catch (IllegalArgumentException e) {
            problems.add("Entry '" + entry.name() + "': " + e.getMessage() + ".");
            return;
        }
        if (geometry.blockLength() > entry.blockLength()) {
            problems.add(
                    "Entry '" + entry.name() + "': its map needs " + geometry.blockLength() + " bytes, more than its"
                            + " block of " + entry.blockLength() + " bytes.");
            return;
        }
        String problem = HashTable.headerProblem(buffer, entry.blockOffset(), geometry);
        if (problem != null) {
            problems.add("Entry '" + entry.name() + "': the map's table header is damaged: " + problem + ".");
        }
    }

    /** A value's (or encoded map's) two copies each store a length that must fit its capacity (layout.md, "Entry blocks"). */
    private static void checkValueCopies(ByteBuffer buffer, EntryInfo entry, List<String> problems) {
        long capacity = entry.parameter();
        long stride = (8 + capacity + 7) & ~7L;
        if (capacity < 0 || 128 + 2 * stride > entry.blockLength()) {
            problems.add("Entry '" + entry.name() + "': capacity " + capacity + " does not fit its block of "
                    + entry.blockLength() + " bytes.");
            return;
        }
        for (int copy = 0; copy < 2; copy++) {
            int length = buffer.getInt((int) (entry.blockOffset() + 128 + copy * stride));
            if (length < -1 || length > capacity) {
                problems.add("Entry '" + entry.name() + "': copy " + copy + " stores a length of " + length
                        + " bytes, outside -1 to its capacity of " + capacity + ".");
            }
        }
    }
}

package io.hostsync.internal.region;

import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.RegionFullException;
import io.hostsync.RegionHeader;
import io.hostsync.RegionSetting;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The lock table of an open region: lock records found and created by name, and keyed records
 * placed by hashing the family and key, probing linearly, pinned by the slots that use them and
 * reclaimed when none does (see {@link #pinKeyed}). What a record
 * holds besides its name belongs to the lock backend ({@code io.hostsync.internal.lock}); a
 * new record is prepared for it through {@link RegionHooks#initialiseLock}.
 */
public final class LockTable {

    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final RegionHeader header;
    /** Serialises record claims between processes; made at the first claim, when the region is open. */
    private volatile @Nullable RegionMutex claims;

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

    private @Nullable String name(int index) {
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
    public static @Nullable String readName(ByteBuffer buffer, RegionHeader header, Path file, int index) {
        int record = RegionLayout.lockRecordOffset(header, index);
        if ((int) INTS.getAcquire(buffer, record + RegionLayout.LOCK_IN_USE_OFFSET) != RegionLayout.LOCK_NAMED) {
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
     * Finds the named lock record, or creates it under the lock table's claim mutex (unless another
     * process just did), prepared for the region's backend. A keyed record that nobody holds or
     * waits for is reclaimed for it if no record is free.
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
        return underClaimMutex(() -> {
            int index = find(name);
            if (index >= 0) {
                return index;
            }
            index = takeFreeRecord(0);
            if (index < 0) {
                throw new RegionFullException(
                        "Region '" + region.options.name() + "' (" + region.file + ") has no room for"
                                + " lock '" + name + "': all " + header.lockCapacity() + " lock records are in use ("
                                + String.join(", ", names()) + ")" + keyedInUse()
                                + ". Recreate the region with a larger"
                                + " maxLocks, or use fewer lock names.",
                        region.options.name(), region.file, RegionSetting.MAX_LOCKS,
                        header.lockCapacity());
            }
            writeName(buffer, header, index, name);
            return index;
        });
    }

    // ------------------------------------------------------------------ keyed records

    /**
     * Pins the record of a key for this process's slot, creating it if no process has a record
     * for the key: on return the record belongs to the key and cannot be reclaimed until
     * {@link #unpin(int)}. A pin comes before the check that the record is still the key's, and
     * a reclaimer marks the record before it reads the pins: one of the two always sees the other.
     *
     * @param name the family and key
     * @param hint the record the key had last time, or -1
     * @return the record, pinned
     * @throws RegionFullException if every record is in use by named locks and pinned keys
     */
    public int pinKeyed(KeyedName name, int hint) {
        int found = pinExisting(name, hint);
        if (found >= 0) {
            return found;
        }
        return underClaimMutex(() -> claimKeyed(name, name.start(header.lockCapacity())));
    }

    /**
     * Pins the record of a key if some process has one, without creating it.
     *
     * @param name the family and key
     * @param hint the record the key had last time, or -1
     * @return the record, pinned, or -1 if the key has none
     */
    public int pinExisting(KeyedName name, int hint) {
        if (hint >= 0 && pinIfOwnedBy(hint, name)) {
            return hint;
        }
        int start = name.start(header.lockCapacity());
        // A record found but lost before the pin (reclaimed, or being checked by a reclaimer
        // that will give it back) is looked for again, a few times.
        for (int attempt = 0; attempt < 3; attempt++) {
            int found = findKeyed(name, start);
            if (found < 0) {
                return -1;
            }
            if (pinIfOwnedBy(found, name)) {
                return found;
            }
        }
        return -1;
    }

    /**
     * Adds a pin to a record this slot has pinned already (a reentrant hold of the key).
     *
     * @param index the record, pinned by a thread of this JVM
     */
    public void pinHeld(int index) {
        INTS.getAndAdd(buffer, pins(region.slot, index), 1);
    }

    /**
     * Lets go of a pin taken by {@link #pinKeyed}: the record may be reclaimed once no live slot
     * pins it and its lock is free.
     *
     * @param index the record
     */
    public void unpin(int index) {
        INTS.getAndAdd(buffer, pins(region.slot, index), -1);
    }

    /**
     * Tells whether a record belongs to a key now, without pinning it: for a caller that pins it
     * already.
     *
     * @param index the record
     * @param name the family and key
     * @return whether the record is the key's
     */
    public boolean isOwnedBy(int index, KeyedName name) {
        int record = RegionLayout.lockRecordOffset(header, index);
        if ((int) INTS.getVolatile(buffer, record + RegionLayout.LOCK_IN_USE_OFFSET) != RegionLayout.LOCK_KEYED) {
            return false;
        }
        byte[] expected = name.recordName();
        if (buffer.getInt(record + RegionLayout.LOCK_NAME_LENGTH_OFFSET) != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (buffer.get(record + RegionLayout.LOCK_NAME_OFFSET + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Pins a record if it belongs to the key; a pinned record that turns out not to be the
     * key's is let go at once.
     *
     * @param index the record
     * @param name the family and key
     * @return whether the record is pinned and the key's
     */
    public boolean pinIfOwnedBy(int index, KeyedName name) {
        INTS.getAndAdd(buffer, pins(region.slot, index), 1); // a full fence: the check below cannot move above it
        if (isOwnedBy(index, name)) {
            return true;
        }
        unpin(index);
        return false;
    }

    /** Probes every record from {@code start} for the key's: -1 if none. */
    private int findKeyed(KeyedName name, int start) {
        int capacity = header.lockCapacity();
        for (int step = 0; step < capacity; step++) {
            int index = (start + step) % capacity;
            if (isOwnedBy(index, name)) {
                return index;
            }
        }
        return -1;
    }

    /**
     * Under the claim mutex: finds the key's record (another process may just have
     * created it) or takes a free or reclaimable one from {@code start} on, and pins it.
     */
    private int claimKeyed(KeyedName name, int start) {
        int capacity = header.lockCapacity();
        for (int step = 0; step < capacity; step++) {
            int index = (start + step) % capacity;
            if (inUse(index) == RegionLayout.LOCK_RECLAIMING) {
                settle(index); // left by a reclaimer that died: the record is still its key's
            }
        }
        int found = findKeyed(name, start);
        if (found >= 0) {
            if (pinIfOwnedBy(found, name)) { // no reclaimer runs now: only ours could have marked it
                return found;
            }
            throw new IllegalStateException("Keyed record " + found + " changed under the lock table's claim mutex");
        }
        int index = takeFreeRecord(start);
        if (index < 0) {
            throw new RegionFullException("Region '" + region.options.name() + "' (" + region.file + ") has no room for"
                    + " keyed lock " + name + ": all " + capacity + " lock records are in use ("
                    + String.join(", ", names())
                    + ")" + keyedInUse() + ". Recreate the region with a larger maxLocks, or hold fewer keys at once.",
                    region.options.name(), region.file, RegionSetting.MAX_LOCKS, capacity);
        }
        int record = RegionLayout.lockRecordOffset(header, index);
        byte[] bytes = name.recordName();
        buffer.putInt(record + RegionLayout.LOCK_NAME_LENGTH_OFFSET, bytes.length);
        buffer.put(record + RegionLayout.LOCK_NAME_OFFSET, bytes);
        INTS.getAndAdd(buffer, pins(region.slot, index), 1); // before anyone can find it: nobody reclaims it before we lock
        INTS.setRelease(buffer, record + RegionLayout.LOCK_IN_USE_OFFSET, RegionLayout.LOCK_KEYED);
        return index;
    }

    /**
     * Under the claim mutex: the first free record from {@code start} on, else the first
     * keyed record that can be reclaimed, prepared for the region's backend; -1 if none.
     */
    private int takeFreeRecord(int start) {
        int capacity = header.lockCapacity();
        int index = -1;
        for (int step = 0; step < capacity && index < 0; step++) {
            int candidate = (start + step) % capacity;
            if (inUse(candidate) == RegionLayout.LOCK_FREE) {
                index = candidate;
            }
        }
        for (int step = 0; step < capacity && index < 0; step++) {
            int candidate = (start + step) % capacity;
            if (inUse(candidate) == RegionLayout.LOCK_KEYED && reclaim(candidate)) {
                index = candidate;
            }
        }
        if (index >= 0) {
            // A reclaimed keyed record may keep marks of its last key (flags of dead waiters,
            // readers' bits); nobody alive uses it, so its lock starts again from clean words.
            int record = RegionLayout.lockRecordOffset(header, index);
            LONGS.setVolatile(buffer, record + RegionLayout.LOCK_STATE_OFFSET, 0L);
            for (int word = 0; word < (header.slotCapacity() + 63) / 64; word++) {
                LONGS.setVolatile(buffer, record + RegionLayout.LOCK_READER_BITMAP_OFFSET + word * Long.BYTES, 0L);
            }
            region.hooks().initialiseLock(region.address, header, index, region.file);
        }
        return index;
    }

    /**
     * Under the claim mutex: frees a keyed record if no live slot pins it and its lock
     * is free (what dead slots held is released on the way). The record is marked
     * {@link RegionLayout#LOCK_RECLAIMING} before the pins are read, so that a thread pinning it
     * meanwhile either is seen here or sees the mark and lets go.
     *
     * @return whether the record is free now
     */
    private boolean reclaim(int index) {
        int flag = RegionLayout.lockRecordOffset(header, index) + RegionLayout.LOCK_IN_USE_OFFSET;
        if (!INTS.compareAndSet(buffer, flag, RegionLayout.LOCK_KEYED, RegionLayout.LOCK_RECLAIMING)) {
            return false;
        }
        return settle(index);
    }

    /** Ends a reclamation begun by {@link #reclaim}: the record becomes free, or the key's again. */
    private boolean settle(int index) {
        int flag = RegionLayout.lockRecordOffset(header, index) + RegionLayout.LOCK_IN_USE_OFFSET;
        boolean idle = region.hooks().isLockIdle(region, index);
        INTS.setVolatile(buffer, flag, idle ? RegionLayout.LOCK_FREE : RegionLayout.LOCK_KEYED);
        return idle;
    }

    /**
     * Runs a claim of records holding the lock table's claim mutex: a crash-safe mutex in the
     * region ({@link RegionLayout#LOCK_TABLE_MUTEX_OFFSET}) that costs no system call unless it
     * is contended, since a key used for the first time claims a record at every acquisition.
     */
    private <T> T underClaimMutex(Supplier<T> claim) {
        RegionMutex mutex = claims;
        if (mutex == null) {
            synchronized (this) {
                if (claims == null) {
                    claims = region.hooks().mutex(region, RegionLayout.LOCK_TABLE_MUTEX_OFFSET,
                            "The lock table of region '"
                                    + region.options.name() + "'");
                }
                mutex = claims;
            }
        }
        mutex.lock();
        try {
            return claim.get();
        } finally {
            mutex.unlock();
        }
    }

    private int inUse(int index) {
        return (int) INTS.getVolatile(buffer,
                RegionLayout.lockRecordOffset(header, index) + RegionLayout.LOCK_IN_USE_OFFSET);
    }

    private int pins(int slot, int index) {
        return RegionLayout.holderOffset(header, slot, index) + RegionLayout.HOLDER_PINS_OFFSET;
    }

    /** For messages: how many records keyed locks hold now, and which of them are possibly torn. */
    private String keyedInUse() {
        int keyed = 0;
        List<String> torn = new ArrayList<>();
        for (int index = 0; index < header.lockCapacity(); index++) {
            if (inUse(index) == RegionLayout.LOCK_KEYED) {
                keyed++;
                if (region.hooks().isLockTorn(buffer, header, index)) {
                    torn.add(keyedName(index));
                }
            }
        }
        if (keyed == 0) {
            return "";
        }
        return ", " + keyed + " of them by keys that a live thread holds or waits for"
                + (torn.isEmpty() ? ""
                        : ", or whose writer died (possibly torn: " + String.join(", ", torn)
                                + "; take their write lock and call markConsistent() to free them)");
    }

    /** A keyed record's family and key, for messages. */
    private String keyedName(int index) {
        return readKeyedName(buffer, header, index).toString();
    }

    /**
     * Reads a keyed record's family and key (or the key's digest), its stored length clamped to
     * the name field: for messages and listings, which must not fail on a damaged record.
     *
     * @param buffer the mapping
     * @param header the region's header
     * @param index a keyed lock record
     * @return its family and key
     */
    public static KeyedName readKeyedName(ByteBuffer buffer, RegionHeader header, int index) {
        int record = RegionLayout.lockRecordOffset(header, index);
        int length = Math.max(0, Math.min(RegionLayout.LOCK_NAME_CAPACITY,
                buffer.getInt(record + RegionLayout.LOCK_NAME_LENGTH_OFFSET)));
        byte[] bytes = new byte[length];
        buffer.get(record + RegionLayout.LOCK_NAME_OFFSET, bytes);
        return KeyedName.parse(bytes);
    }

    /** Names a record; its in-use flag is written last, with release. */
    static void writeName(MappedByteBuffer buffer, RegionHeader header, int index, String name) {
        int record = RegionLayout.lockRecordOffset(header, index);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        buffer.putInt(record + RegionLayout.LOCK_NAME_LENGTH_OFFSET, bytes.length);
        buffer.put(record + RegionLayout.LOCK_NAME_OFFSET, bytes);
        INTS.setRelease(buffer, record + RegionLayout.LOCK_IN_USE_OFFSET, RegionLayout.LOCK_NAMED);
    }
}

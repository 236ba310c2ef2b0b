package io.hostsync.internal.table;

import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;
import static io.hostsync.internal.table.TableLayout.BUCKETS_OFFSET;
import static io.hostsync.internal.table.TableLayout.CHUNK;
import static io.hostsync.internal.table.TableLayout.COUNT_OFFSET;
import static io.hostsync.internal.table.TableLayout.HINT_OFFSET;
import static io.hostsync.internal.table.TableLayout.INTENT_BUCKET_OFFSET;
import static io.hostsync.internal.table.TableLayout.INTENT_CLEAR;
import static io.hostsync.internal.table.TableLayout.INTENT_KIND_OFFSET;
import static io.hostsync.internal.table.TableLayout.INTENT_NEW_WORD_OFFSET;
import static io.hostsync.internal.table.TableLayout.INTENT_NONE;
import static io.hostsync.internal.table.TableLayout.INTENT_OLD_WORD_OFFSET;
import static io.hostsync.internal.table.TableLayout.INTENT_PUT;
import static io.hostsync.internal.table.TableLayout.INTENT_REMOVE;
import static io.hostsync.internal.table.TableLayout.RECORD_HEADER;
import static io.hostsync.internal.table.TableLayout.RECOVERIES_OFFSET;
import static io.hostsync.internal.table.TableLayout.VERSION_OFFSET;

import io.hostsync.RegionFormatException;
import io.hostsync.RegionFullException;
import io.hostsync.ValueTooLargeException;
import io.hostsync.internal.lock.HostMutex;
import io.hostsync.internal.region.HeaderFormat;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.table.TableLayout.Geometry;
import io.hostsync.internal.table.TableLayout.KeyWords;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A crash-safe hash table of byte keys and byte values in a region (layout: {@link TableLayout}),
 * the engine under {@code SharedMap}. Segments of open-addressed buckets, each with:
 * <ul>
 *   <li>a {@link HostMutex} for its writers (a dead owner is replaced once the kernel confirms the
 *       death);</li>
 *   <li>a seqlock version, so that {@link #get} takes no lock: it retries a few times while writers
 *       change the segment, then takes the mutex;</li>
 *   <li>an intent record: before a writer changes anything a reader can see, it writes down the one
 *       operation it is about to apply, in a form that can be applied again from any point
 *       (absolute words, a resumable backward shift). The next writer that takes the mutex and
 *       finds an intent completes it, then rebuilds the segment's chunk bitmap from its buckets. So
 *       an operation is applied entirely or not at all, without a recovery mode: other segments
 *       never notice.</li>
 * </ul>
 *
 * <p>Every stored number is checked before use (bucket words, record lengths, counts, intents):
 * an impossible one is a {@link RegionFormatException} naming the region, the map, the segment and
 * the offset, never an exception from the buffer or an allocation of a stored length.
 *
 * <p>Tests can make a writer stop forever at a named point of an operation, holding the segment
 * (to be killed there): the system property {@value #PAUSE_PROPERTY} names the point,
 * {@code put.intent}, {@code put.bucket}, {@code remove.intent} or {@code remove.shift}; or make a
 * lock-free reader stop once, after it checked a record, until a writer rewrote that record
 * ({@code entries.record}). Unset, the check is a comparison with a constant {@code null}.
 */
public final class HashTable {

    /** The system property naming a point where writers stop, for kill tests. */
    public static final String PAUSE_PROPERTY = "hostsync.table.pause-at";

    private static final String PAUSE_AT = System.getProperty(PAUSE_PROPERTY);
    private static final AtomicBoolean READER_PAUSED = new AtomicBoolean();
    private static final int READ_ATTEMPTS = 8;
    /** Entries an eviction compares: more approaches LRU more closely, and costs more per eviction. */
    public static final int EVICTION_SAMPLE = 8;
    /** Most entries one write may evict to make room for a larger value. */
    public static final int MAX_EVICTIONS_PER_WRITE = 64;
    /** Returned by {@link #locate} when a lock-free reader met bytes that a writer is changing. */
    private static final long INCONSISTENT = Long.MIN_VALUE;

    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final Path file;
    private final String description;
    private final Geometry geometry;
    private final int[] segmentBases;
    private final HostMutex[] mutexes;
    private final int segmentMask;
    private final int segmentBits;
    private final int bucketMask;
    private final int chunks;
    /** With an eviction policy, the entries a segment holds before a new key evicts: its share of those asked for. */
    private final int evictionLimit;

    /**
     * Opens the table in a block, checking the header against the geometry asked for.
     *
     * @param region the open region
     * @param blockOffset the map block's offset
     * @param geometry the geometry the entry's parameter gives
     * @param description "Map 'prices' of region 'orders'", for messages
     */
    public HashTable(RegionFile region, long blockOffset, Geometry geometry, String description) {
        this.region = region;
        this.buffer = region.buffer;
        this.file = region.file;
        this.description = description;
        this.geometry = geometry;
        String problem = headerProblem(buffer, blockOffset, geometry);
        if (problem != null) {
            throw HeaderFormat.corrupted(file,
                    "has a corrupted table header in " + lower(description) + ": " + problem);
        }
        this.segmentMask = geometry.segments() - 1;
        this.segmentBits = geometry.segmentBits();
        this.bucketMask = geometry.buckets() - 1;
        this.chunks = geometry.chunks();
        this.evictionLimit = Math.min(geometry.segmentEntries(),
                (geometry.entries() + geometry.segments() - 1) / geometry.segments());
        this.segmentBases = new int[geometry.segments()];
        this.mutexes = new HostMutex[geometry.segments()];
        for (int segment = 0; segment < segmentBases.length; segment++) {
            segmentBases[segment] = TableLayout.segmentOffset(blockOffset, geometry, segment);
            mutexes[segment] = new HostMutex(region, segmentBases[segment], description + ", segment " + segment);
        }
    }

    /**
     * Writes a new table's header into a zeroed block (a zeroed segment is an empty segment).
     *
     * @param buffer the mapping
     * @param blockOffset the block
     * @param geometry the table's geometry
     */
    public static void initialise(ByteBuffer buffer, long blockOffset, Geometry geometry) {
        int base = (int) blockOffset;
        buffer.putInt(base + TableLayout.SEGMENT_COUNT_OFFSET, geometry.segments());
        buffer.putInt(base + TableLayout.BUCKET_COUNT_OFFSET, geometry.buckets());
        buffer.putInt(base + TableLayout.SEGMENT_ENTRIES_OFFSET, geometry.segmentEntries());
        buffer.putInt(base + TableLayout.DATA_BYTES_OFFSET, geometry.dataBytes());
        buffer.putInt(base + TableLayout.SEGMENT_STRIDE_OFFSET, geometry.segmentStride());
        buffer.putInt(base + TableLayout.CHUNK_SIZE_OFFSET, CHUNK);
        buffer.putInt(base + TableLayout.ENTRIES_ASKED_OFFSET, geometry.entries());
        buffer.putInt(base + TableLayout.AVERAGE_BYTES_ASKED_OFFSET, geometry.averageEntryBytes());
        LONGS.setRelease(buffer, base + TableLayout.MAGIC_OFFSET, TableLayout.MAGIC);
    }

    /**
     * Compares a stored table header with the geometry the entry's parameter gives.
     *
     * @param buffer the mapping
     * @param blockOffset the block
     * @param geometry the expected geometry
     * @return what differs, naming the field and its offset, or {@code null}
     */
    public static @Nullable String headerProblem(ByteBuffer buffer, long blockOffset, Geometry geometry) {
        int base = (int) blockOffset;
        long magic = (long) LONGS.getAcquire(buffer, base + TableLayout.MAGIC_OFFSET);
        if (magic != TableLayout.MAGIC) {
            return "its magic at offset " + (base + TableLayout.MAGIC_OFFSET) + " is 0x" + Long.toHexString(magic)
                    + ", not 'HSMAP001'";
        }
        int[][] fields = {
                { TableLayout.SEGMENT_COUNT_OFFSET, geometry.segments() },
                { TableLayout.BUCKET_COUNT_OFFSET, geometry.buckets() },
                { TableLayout.SEGMENT_ENTRIES_OFFSET, geometry.segmentEntries() },
                { TableLayout.DATA_BYTES_OFFSET, geometry.dataBytes() },
                { TableLayout.SEGMENT_STRIDE_OFFSET, geometry.segmentStride() },
                { TableLayout.CHUNK_SIZE_OFFSET, CHUNK },
                { TableLayout.ENTRIES_ASKED_OFFSET, geometry.entries() },
                { TableLayout.AVERAGE_BYTES_ASKED_OFFSET, geometry.averageEntryBytes() },
        };
        String[] names = { "segment count", "bucket count", "entries per segment", "data bytes per segment",
                "segment stride", "chunk size", "entries", "average entry bytes" };
        for (int i = 0; i < fields.length; i++) {
            int stored = buffer.getInt(base + fields[i][0]);
            if (stored != fields[i][1]) {
                return "its " + names[i] + " at offset " + (base + fields[i][0]) + " is " + stored
                        + ", where its capacity"
                        + " gives " + fields[i][1];
            }
        }
        return null;
    }

    /** @return the table's geometry */
    public Geometry geometry() {
        return geometry;
    }

    /**
     * What a cache adds to a table (see {@code SharedCache}): an access stamp per bucket, kept by
     * the cache outside the table, and a rank per entry; a write into a segment that is full, or
     * has reached its share of the entries asked for, first evicts the lowest-ranked entry of a
     * sample of {@value #EVICTION_SAMPLE} (sampled LRU when the rank is the last access). Each
     * eviction is a removal with its own intent, so a writer killed in the middle of one leaves
     * the entry removed or present, never half removed.
     */
    public interface Eviction {

        /**
         * Called by a lock-free reader that found its key: remember the access. It may come late
         * or for a bucket that another entry has since moved into: keep it an estimate.
         *
         * @param segment the segment
         * @param bucket the bucket the key was found in
         */
        void accessed(int segment, int bucket);

        /**
         * Called holding the segment's mutex when a removal moves an entry back to an earlier
         * bucket of its probe chain: what is kept per bucket moves with it.
         *
         * @param segment the segment
         * @param from the bucket it was in
         * @param to the bucket it is in now
         */
        void moved(int segment, int from, int to);

        /**
         * Called holding the segment's mutex after an entry was written into a bucket.
         *
         * @param segment the segment
         * @param bucket its bucket
         */
        void written(int segment, int bucket);

        /**
         * Ranks an entry for eviction, holding the segment's mutex: the lowest rank goes first.
         *
         * @param segment the segment
         * @param bucket the entry's bucket
         * @param valueHead the first 8 bytes of its value in the region's byte order, 0 if shorter
         * @return its rank
         */
        long rank(int segment, int bucket, long valueHead);

        /**
         * Called holding the segment's mutex after an entry was evicted.
         *
         * @param rank the rank it had
         */
        void evicted(long rank);
    }

    /**
     * Returns the value stored for a key, without taking a lock unless writers keep changing its
     * segment.
     *
     * @param key the encoded key
     * @return a copy of the encoded value, or {@code null}
     */
    public byte @Nullable [] get(byte[] key) {
        return get(key, null);
    }

    /**
     * Returns the value stored for a key as {@link #get(byte[])} does, telling an eviction policy
     * about the hit.
     *
     * @param key the encoded key
     * @param eviction told of a hit, or {@code null}
     * @return a copy of the encoded value, or {@code null}
     */
    public byte @Nullable [] get(byte[] key, @Nullable Eviction eviction) {
        region.ensureOpen();
        long hash = TableLayout.hash(key);
        int tag = (int) (hash >>> 32);
        int segment = tag & segmentMask;
        int base = segmentBases[segment];
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            long before = (long) LONGS.getAcquire(buffer, base + VERSION_OFFSET);
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long found = locate(segment, key, tag, false);
            byte[] value = found >= 0 ? readValue(segment, (int) found, false) : null;
            VarHandle.acquireFence();
            if ((long) LONGS.getVolatile(buffer, base + VERSION_OFFSET) == before && found != INCONSISTENT
                    && (found < 0 || value != null)) {
                if (value != null && eviction != null) {
                    eviction.accessed(segment, (int) (found >>> 32));
                }
                return value;
            }
        }
        // Writers keep changing this segment, or one died in the middle: read between them, under the mutex.
        HostMutex mutex = mutexes[segment];
        mutex.lock();
        try {
            recover(segment);
            long found = locate(segment, key, tag, true);
            if (found >= 0 && eviction != null) {
                eviction.accessed(segment, (int) (found >>> 32));
            }
            return found >= 0 ? readValue(segment, (int) found, true) : null;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Changes a key's value atomically, holding its segment's mutex while {@code function} runs.
     * The function gets the current encoded value (or {@code null}) and returns the new one:
     * {@code null} removes the key, the very array it was given changes nothing. If it throws,
     * nothing was changed.
     *
     * @param key the encoded key
     * @param function from the current value to the new one
     * @return the value before the change (the array given to the function), or {@code null}
     * @throws RegionFullException if the key's segment has no room for a new entry or its bytes;
     *     nothing was changed
     */
    public byte @Nullable [] compute(byte[] key, UnaryOperator<byte @Nullable []> function) {
        return compute(key, function, null);
    }

    /**
     * Changes a key's value as {@link #compute(byte[], UnaryOperator)} does; with an eviction
     * policy, a new value that does not fit its segment, or would take the segment beyond its
     * share of the entries asked for, first evicts other entries of the segment (each eviction
     * atomic on its own), up to {@value #MAX_EVICTIONS_PER_WRITE} of them.
     *
     * @param key the encoded key
     * @param function from the current value to the new one
     * @param eviction the policy that makes room, or {@code null} to fail when full
     * @return the value before the change, or {@code null}
     * @throws RegionFullException if no room could be made; the function's change was not written
     */
    public byte @Nullable [] compute(byte[] key, UnaryOperator<byte @Nullable []> function,
            @Nullable Eviction eviction) {
        long hash = TableLayout.hash(key);
        int tag = (int) (hash >>> 32);
        int segment = tag & segmentMask;
        HostMutex mutex = mutexes[segment];
        mutex.lock();
        try {
            recover(segment);
            long found = locate(segment, key, tag, true);
            byte[] current = found >= 0 ? readValue(segment, (int) found, true) : null;
            byte[] next = function.apply(current);
            if (next == current) {
                return current;
            }
            if (next == null) {
                remove(segment, found, eviction);
                return current;
            }
            if (eviction != null) {
                found = makeRoom(segment, key, tag, found, next.length, eviction);
            }
            if (found >= 0) {
                replace(segment, found, key, next, tag);
            } else {
                insert(segment, key, next, tag, found);
            }
            if (eviction != null) {
                eviction.written(segment, found >= 0 ? (int) (found >>> 32) : (int) (-found - 1));
            }
            return current;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Stores a key's value, holding its segment's mutex, without copying out the value it
     * replaces: {@link #compute} with a function that ignores the current value, for callers that
     * do not need it.
     *
     * @param key the encoded key
     * @param value the encoded value
     * @return whether the key had a value, now replaced
     * @throws RegionFullException if the key's segment has no room for a new entry or its bytes;
     *     nothing was changed
     */
    public boolean put(byte[] key, byte[] value) {
        long hash = TableLayout.hash(key);
        int tag = (int) (hash >>> 32);
        int segment = tag & segmentMask;
        HostMutex mutex = mutexes[segment];
        mutex.lock();
        try {
            recover(segment);
            long found = locate(segment, key, tag, true);
            if (found >= 0) {
                replace(segment, found, key, value, tag);
            } else {
                insert(segment, key, value, tag, found);
            }
            return found >= 0;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Returns the number of entries, summing the segments' counts one after the other.
     *
     * @return the number of entries
     */
    public long size() {
        region.ensureOpen();
        long size = 0;
        for (int segment = 0; segment < segmentBases.length; segment++) {
            size += count(segment, (int) INTS.getAcquire(buffer, segmentBases[segment] + COUNT_OFFSET));
        }
        return size;
    }

    /**
     * Returns the number of dead writers' operations that this table's segments completed.
     *
     * @return the recoveries, summed over the segments
     */
    public long recoveries() {
        long recoveries = 0;
        for (int base : segmentBases) {
            recoveries += (long) LONGS.getOpaque(buffer, base + RECOVERIES_OFFSET);
        }
        return recoveries;
    }

    /** Removes every entry, one segment at a time (each segment atomically). */
    public void clear() {
        for (int segment = 0; segment < segmentBases.length; segment++) {
            HostMutex mutex = mutexes[segment];
            mutex.lock();
            try {
                recover(segment);
                int base = segmentBases[segment];
                if (count(segment, buffer.getInt(base + COUNT_OFFSET)) == 0) {
                    continue;
                }
                INTS.setRelease(buffer, base + INTENT_KIND_OFFSET, INTENT_CLEAR);
                long version = beginWrite(base);
                clearSegment(segment);
                endWrite(base, version);
                INTS.setRelease(buffer, base + INTENT_KIND_OFFSET, INTENT_NONE);
            } finally {
                mutex.unlock();
            }
        }
    }

    /**
     * Copies one segment's entries as they were at one moment, for weakly consistent iteration.
     *
     * @param segment the segment, from 0 to the geometry's segment count
     * @return pairs of encoded key and value
     */
    public List<byte[][]> entries(int segment) {
        region.ensureOpen();
        int base = segmentBases[segment];
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            long before = (long) LONGS.getAcquire(buffer, base + VERSION_OFFSET);
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            List<byte[][]> entries = readEntries(segment, false);
            VarHandle.acquireFence();
            if (entries != null && (long) LONGS.getVolatile(buffer, base + VERSION_OFFSET) == before) {
                return entries;
            }
        }
        HostMutex mutex = mutexes[segment];
        mutex.lock();
        try {
            recover(segment);
            return Objects.requireNonNull(readEntries(segment, true), "a locked read is never inconsistent");
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Checks every segment under its mutex (completing dead writers' operations first): counts,
     * bucket words, records, probe chains and the chunk bitmap agree. For tests and the checker.
     *
     * @return the problems found, empty if none
     */
    public List<String> verify() {
        List<String> problems = new ArrayList<>();
        for (int segment = 0; segment < segmentBases.length; segment++) {
            HostMutex mutex = mutexes[segment];
            mutex.lock();
            try {
                recover(segment);
                verifySegment(segment, problems);
            } catch (RegionFormatException e) {
                problems.add(e.getMessage());
            } finally {
                mutex.unlock();
            }
        }
        return problems;
    }

    private void verifySegment(int segment, List<String> problems) {
        int base = segmentBases[segment];
        long[] used = new long[chunks / 64];
        int entries = 0;
        for (int bucket = 0; bucket < geometry.buckets(); bucket++) {
            long word = bucketWord(base, bucket);
            if (word == 0) {
                continue;
            }
            entries++;
            int record = checkedRecord(segment, word, true);
            int first = (int) (word & 0xFFFF_FFFFL) - 1;
            int length = recordChunks(buffer.getInt(record), buffer.getInt(record + 4));
            for (int chunk = first; chunk < first + length; chunk++) {
                if ((used[chunk >>> 6] & (1L << chunk)) != 0) {
                    problems.add(description + ", segment " + segment + ": chunk " + chunk + " belongs to two records");
                }
                used[chunk >>> 6] |= 1L << chunk;
            }
            int home = home((int) (word >>> 32));
            for (int probe = home; probe != bucket; probe = (probe + 1) & bucketMask) {
                if (bucketWord(base, probe) == 0) {
                    problems.add(
                            description + ", segment " + segment + ": bucket " + bucket + " is unreachable from its"
                                    + " home " + home);
                    break;
                }
            }
        }
        if (entries != count(segment, buffer.getInt(base + COUNT_OFFSET))) {
            problems.add(
                    description + ", segment " + segment + ": count " + buffer.getInt(base + COUNT_OFFSET) + ", but "
                            + entries + " buckets are in use");
        }
        for (int word = 0; word < used.length; word++) {
            long stored = buffer.getLong(base + geometry.bitmapOffset() + word * Long.BYTES);
            if (stored != used[word]) {
                problems.add(description + ", segment " + segment + ": bitmap word " + word + " is 0x"
                        + Long.toHexString(stored) + ", but the records use 0x" + Long.toHexString(used[word]));
            }
        }
    }

    /**
     * Finds a key in a segment.
     *
     * @return the bucket (bits 32-63) and record offset (bits 0-31) if found; else {@code -(b + 1)}
     *     for the empty bucket b where it would go, or {@code -(buckets + 1)} if there is none; or
     *     {@link #INCONSISTENT} for a lock-free reader that met impossible bytes
     */
    private long locate(int segment, byte[] key, int tag, boolean locked) {
        int base = segmentBases[segment];
        int bucket = home(tag);
        for (int probe = 0; probe < geometry.buckets(); probe++) {
            long word = bucketWord(base, bucket);
            if (word == 0) {
                return -(bucket + 1L);
            }
            if ((int) (word >>> 32) == tag) {
                int record = checkedRecord(segment, word, locked);
                if (record < 0) {
                    return INCONSISTENT;
                }
                if (buffer.getInt(record) == key.length && keyFits(segment, record, key.length)
                        && keyEquals(record + RECORD_HEADER, key)) {
                    return ((long) bucket << 32) | record;
                }
            }
            bucket = (bucket + 1) & bucketMask;
        }
        return -(geometry.buckets() + 1L);
    }

    private int home(int tag) {
        return (tag >>> segmentBits) & bucketMask;
    }

    private long bucketWord(int base, int bucket) {
        return buffer.getLong(base + BUCKETS_OFFSET + bucket * Long.BYTES);
    }

    /**
     * The offset of a bucket word's record, after checking its chunk index and stored lengths
     * against the data area. Locked, impossible bytes are corruption; lock-free, they may be a
     * writer's work in progress, and the answer is -1.
     */
    private int checkedRecord(int segment, long word, boolean locked) {
        int chunk = (int) (word & 0xFFFF_FFFFL) - 1;
        int base = segmentBases[segment];
        if (chunk < 0 || chunk >= chunks) {
            if (!locked) {
                return -1;
            }
            throw corrupted(segment,
                    "a bucket word 0x" + Long.toHexString(word) + " names chunk " + chunk + ", outside its "
                            + chunks + " chunks");
        }
        int record = base + geometry.dataOffset() + chunk * CHUNK;
        int keyLength = buffer.getInt(record);
        int valueLength = buffer.getInt(record + 4);
        long end = (long) chunk * CHUNK + RECORD_HEADER + (long) keyLength + valueLength;
        if (keyLength < 0 || valueLength < 0 || end > geometry.dataBytes()) {
            if (!locked) {
                return -1;
            }
            throw corrupted(segment,
                    "the record at offset " + record + " stores a key of " + keyLength + " and a value of "
                            + valueLength + " bytes, which do not fit the "
                            + (geometry.dataBytes() - (long) chunk * CHUNK)
                            + " bytes from its chunk " + chunk + " to the end of the data area");
        }
        return record;
    }

    private byte @Nullable [] readValue(int segment, int record, boolean locked) {
        return readPart(segment, record, locked, true);
    }

    private byte @Nullable [] readKey(int segment, int record, boolean locked) {
        return readPart(segment, record, locked, false);
    }

    /**
     * Copies a record's key or value. Its lengths are read once, here, and checked before they
     * size anything: a lock-free reader's record may have been freed and rewritten by a writer
     * since {@link #checkedRecord} looked at it (records are written into free chunks before the
     * version turns odd), so its first word can be any bytes of another record's key or value.
     */
    private byte @Nullable [] readPart(int segment, int record, boolean locked, boolean value) {
        int keyLength = buffer.getInt(record);
        int valueLength = buffer.getInt(record + 4);
        int dataEnd = dataEnd(segment);
        if (keyLength < 0 || valueLength < 0 || (long) record + RECORD_HEADER + keyLength + valueLength > dataEnd) {
            if (!locked) {
                return null; // rewritten under us: the version check sends the reader round again
            }
            throw corrupted(segment,
                    "the record at offset " + record + " stores a key of " + keyLength + " and a value of "
                            + valueLength + " bytes, beyond the data area's end at " + dataEnd);
        }
        byte[] part = new byte[value ? valueLength : keyLength];
        buffer.get(record + RECORD_HEADER + (value ? keyLength : 0), part);
        return part;
    }

    /** Whether a key of this length, stored at the record, ends inside the data area (a lock-free reader's record may be rewritten). */
    private boolean keyFits(int segment, int record, int keyLength) {
        return (long) record + RECORD_HEADER + keyLength <= dataEnd(segment);
    }

    private int dataEnd(int segment) {
        return segmentBases[segment] + geometry.dataOffset() + geometry.dataBytes();
    }

    private boolean keyEquals(int offset, byte[] key) {
        int full = key.length & ~7;
        for (int i = 0; i < full; i += 8) {
            if ((long) LONGS.get(buffer, offset + i) != (long) KeyWords.NATIVE_LONGS.get(key, i)) {
                return false;
            }
        }
        for (int i = full; i < key.length; i++) {
            if (buffer.get(offset + i) != key[i]) {
                return false;
            }
        }
        return true;
    }

    private @Nullable List<byte[][]> readEntries(int segment, boolean locked) {
        int base = segmentBases[segment];
        List<byte[][]> entries = new ArrayList<>();
        for (int bucket = 0; bucket < geometry.buckets(); bucket++) {
            long word = bucketWord(base, bucket);
            if (word == 0) {
                continue;
            }
            int record = checkedRecord(segment, word, locked);
            if (record < 0) {
                return null;
            }
            if (!locked) {
                pauseReader("entries.record", segment, record);
            }
            byte[] key = readKey(segment, record, locked);
            byte[] value = key == null ? null : readValue(segment, record, locked);
            if (value == null) {
                return null;
            }
            entries.add(new byte[][] { key, value });
        }
        return entries;
    }

    /** The entry count of a segment, checked: a count beyond the segment's capacity is damage. */
    private int count(int segment, int count) {
        if (count < 0 || count > geometry.segmentEntries()) {
            throw corrupted(segment,
                    "its entry count at offset " + (segmentBases[segment] + COUNT_OFFSET) + " is " + count
                            + ", outside 0 to " + geometry.segmentEntries());
        }
        return count;
    }

    /**
     * Evicts sampled entries of a segment, other than the key's, until a value of this length
     * fits and, for a new key, the segment holds fewer than its share of the entries.
     *
     * @return where the key is now (an eviction's backward shift may have moved it)
     */
    private long makeRoom(int segment, byte[] key, int tag, long found, int valueLength, Eviction eviction) {
        int base = segmentBases[segment];
        int length = recordChunks(key.length, valueLength);
        long located = found;
        for (int evictions = 0; evictions < MAX_EVICTIONS_PER_WRITE; evictions++) {
            int count = count(segment, buffer.getInt(base + COUNT_OFFSET));
            boolean entryFits = located >= 0 || (count < evictionLimit && located >= -geometry.buckets());
            if (entryFits && (long) RECORD_HEADER + key.length + valueLength <= geometry.dataBytes()
                    && allocate(base, length) >= 0) {
                return located;
            }
            int keep = located >= 0 ? (int) (located >>> 32) : -1;
            long victim = sampleVictim(segment, keep, eviction);
            if (victim < 0) {
                return located; // nothing else to evict: the write fails as it would without a policy
            }
            int bucket = (int) victim;
            long rank = eviction.rank(segment, bucket,
                    valueHead(checkedRecord(segment, bucketWord(base, bucket), true)));
            remove(segment, (long) bucket << 32, eviction);
            eviction.evicted(rank);
            located = locate(segment, key, tag, true);
        }
        return located;
    }

    /**
     * Compares {@value #EVICTION_SAMPLE} entries, each the first one found from a random bucket on,
     * other than the bucket to keep, and returns the lowest-ranked one's bucket, or -1 if there is
     * none. Each sample starts afresh: the entries of one probe cluster are alike in age (a long
     * cluster is where new keys land), so neighbours would be a poor sample.
     */
    private long sampleVictim(int segment, int keep, Eviction eviction) {
        int base = segmentBases[segment];
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long victim = -1;
        long lowest = Long.MAX_VALUE;
        for (int sample = 0; sample < EVICTION_SAMPLE; sample++) {
            int start = random.nextInt(geometry.buckets());
            for (int probe = 0; probe < geometry.buckets(); probe++) {
                int bucket = (start + probe) & bucketMask;
                long word = bucketWord(base, bucket);
                if (word == 0 || bucket == keep) {
                    continue;
                }
                long rank = eviction.rank(segment, bucket, valueHead(checkedRecord(segment, word, true)));
                if (victim < 0 || rank < lowest) {
                    victim = bucket;
                    lowest = rank;
                }
                break;
            }
        }
        return victim;
    }

    /** The first 8 bytes of a record's value, or 0 if it is shorter. */
    private long valueHead(int record) {
        int keyLength = buffer.getInt(record);
        int valueLength = buffer.getInt(record + 4);
        return valueLength >= Long.BYTES ? buffer.getLong(record + RECORD_HEADER + keyLength) : 0L;
    }

    private void insert(int segment, byte[] key, byte[] value, int tag, long located) {
        int base = segmentBases[segment];
        int count = count(segment, buffer.getInt(base + COUNT_OFFSET));
        if (count >= geometry.segmentEntries() || located < -geometry.buckets()) {
            throw full(segment, "all " + geometry.segmentEntries() + " entries of the key's segment " + segment
                    + " are in use");
        }
        int bucket = (int) (-located - 1);
        int chunk = writeRecord(segment, key, value);
        long word = ((long) tag << 32) | (chunk + 1L);
        writeIntent(base, INTENT_PUT, bucket, word, 0L);
        pause("put.intent");
        long version = beginWrite(base);
        markChunks(base, chunk, recordChunks(key.length, value.length), true);
        LONGS.set(buffer, base + BUCKETS_OFFSET + bucket * Long.BYTES, word);
        pause("put.bucket");
        buffer.putInt(base + COUNT_OFFSET, count + 1);
        endWrite(base, version);
        INTS.setRelease(buffer, base + INTENT_KIND_OFFSET, INTENT_NONE);
    }

    private void replace(int segment, long located, byte[] key, byte[] value, int tag) {
        int base = segmentBases[segment];
        int bucket = (int) (located >>> 32);
        long oldWord = bucketWord(base, bucket);
        int chunk = writeRecord(segment, key, value);
        long word = ((long) tag << 32) | (chunk + 1L);
        writeIntent(base, INTENT_PUT, bucket, word, oldWord);
        pause("put.intent");
        long version = beginWrite(base);
        markChunks(base, chunk, recordChunks(key.length, value.length), true);
        LONGS.set(buffer, base + BUCKETS_OFFSET + bucket * Long.BYTES, word);
        pause("put.bucket");
        freeRecord(segment, oldWord);
        endWrite(base, version);
        INTS.setRelease(buffer, base + INTENT_KIND_OFFSET, INTENT_NONE);
    }

    private void remove(int segment, long located, @Nullable Eviction eviction) {
        int base = segmentBases[segment];
        int bucket = (int) (located >>> 32);
        long oldWord = bucketWord(base, bucket);
        int count = count(segment, buffer.getInt(base + COUNT_OFFSET));
        writeIntent(base, INTENT_REMOVE, bucket, 0L, oldWord);
        pause("remove.intent");
        long version = beginWrite(base);
        shiftBack(segment, eviction);
        freeRecord(segment, oldWord);
        buffer.putInt(base + COUNT_OFFSET, count - 1);
        endWrite(base, version);
        INTS.setRelease(buffer, base + INTENT_KIND_OFFSET, INTENT_NONE);
    }

    /**
     * Closes the hole the intent names by moving back each following entry whose probe path
     * crosses it (backward-shift deletion). Each move is recorded in the intent before the next,
     * and the decisions depend only on the buckets after the hole, which a move does not change:
     * so the shift resumes correctly from the recorded hole whatever instant it was stopped at.
     */
    private void shiftBack(int segment, @Nullable Eviction eviction) {
        int base = segmentBases[segment];
        int hole = buffer.getInt(base + INTENT_BUCKET_OFFSET);
        int next = hole;
        int moves = 0;
        while (true) {
            next = (next + 1) & bucketMask;
            long word = bucketWord(base, next);
            if (word == 0 || next == hole) {
                break;
            }
            int home = home((int) (word >>> 32));
            if (((next - home) & bucketMask) >= ((next - hole) & bucketMask)) {
                LONGS.set(buffer, base + BUCKETS_OFFSET + hole * Long.BYTES, word);
                if (eviction != null) {
                    eviction.moved(segment, next, hole);
                }
                INTS.setRelease(buffer, base + INTENT_BUCKET_OFFSET, next);
                hole = next;
                moves++;
            }
        }
        if (moves > 1) {
            pause("remove.shift"); // after the last of several moves: a resume must start from the recorded hole
        }
        LONGS.set(buffer, base + BUCKETS_OFFSET + hole * Long.BYTES, 0L);
    }

    /** Writes a record into free chunks (invisible until a bucket names it), and returns its first chunk. */
    private int writeRecord(int segment, byte[] key, byte[] value) {
        int base = segmentBases[segment];
        long bytes = (long) RECORD_HEADER + key.length + value.length;
        if (bytes > geometry.dataBytes()) {
            throw new ValueTooLargeException(description + " cannot store an entry of " + bytes + " bytes (key "
                    + key.length + ", value " + value.length + ", header " + RECORD_HEADER
                    + "): a segment's data area has "
                    + geometry.dataBytes()
                    + " bytes. Nothing was written. Store smaller entries, or create the map under a"
                    + " new name with a larger average entry size.");
        }
        int length = recordChunks(key.length, value.length);
        int chunk = allocate(base, length);
        if (chunk < 0) {
            throw full(segment, "the key's segment " + segment + " has no run of " + length + " free chunks ("
                    + length * CHUNK + " bytes) left in its data area of " + geometry.dataBytes() + " bytes");
        }
        int record = base + geometry.dataOffset() + chunk * CHUNK;
        buffer.putInt(record, key.length);
        buffer.putInt(record + 4, value.length);
        buffer.put(record + RECORD_HEADER, key);
        buffer.put(record + RECORD_HEADER + key.length, value);
        buffer.putInt(base + HINT_OFFSET, chunk + length);
        return chunk;
    }

    private static int recordChunks(int keyLength, int valueLength) {
        return (int) ((RECORD_HEADER + (long) keyLength + valueLength + CHUNK - 1) / CHUNK);
    }

    /** First fit from the hint (a run does not wrap around the end); -1 if no run is long enough. */
    private int allocate(int base, int length) {
        int bitmap = base + geometry.bitmapOffset();
        int hint = buffer.getInt(base + HINT_OFFSET);
        int start = hint >= 0 && hint < chunks ? hint : 0; // only a hint: any value is safe
        int run = 0;
        for (int seen = 0; seen < chunks + length; seen++) {
            int chunk = (start + seen) % chunks;
            if (chunk == 0) {
                run = 0;
            }
            long word = buffer.getLong(bitmap + (chunk >>> 6) * Long.BYTES);
            if (word == -1L && (chunk & 63) == 0) {
                run = 0;
                seen += 63; // a full word: skip it whole
                continue;
            }
            if ((word & (1L << chunk)) == 0) {
                if (++run == length) {
                    return chunk - length + 1;
                }
            } else {
                run = 0;
            }
        }
        return -1;
    }

    private void markChunks(int base, int first, int length, boolean used) {
        int bitmap = base + geometry.bitmapOffset();
        for (int chunk = first; chunk < first + length; chunk++) {
            int at = bitmap + (chunk >>> 6) * Long.BYTES;
            long word = buffer.getLong(at);
            buffer.putLong(at, used ? word | (1L << chunk) : word & ~(1L << chunk));
        }
    }

    private void freeRecord(int segment, long word) {
        if (word == 0) {
            return;
        }
        int record = checkedRecord(segment, word, true);
        markChunks(segmentBases[segment], (int) (word & 0xFFFF_FFFFL) - 1,
                recordChunks(buffer.getInt(record), buffer.getInt(record + 4)), false);
    }

    private void writeIntent(int base, int kind, int bucket, long newWord, long oldWord) {
        buffer.putInt(base + INTENT_BUCKET_OFFSET, bucket);
        buffer.putLong(base + INTENT_NEW_WORD_OFFSET, newWord);
        buffer.putLong(base + INTENT_OLD_WORD_OFFSET, oldWord);
        INTS.setRelease(buffer, base + INTENT_KIND_OFFSET, kind); // after the record and the fields it names
    }

    /** Makes the version odd; what follows is not written before it. */
    private long beginWrite(int base) {
        long version = (long) LONGS.getVolatile(buffer, base + VERSION_OFFSET) | 1;
        LONGS.setOpaque(buffer, base + VERSION_OFFSET, version);
        VarHandle.storeStoreFence();
        return version;
    }

    private void endWrite(int base, long oddVersion) {
        LONGS.setRelease(buffer, base + VERSION_OFFSET, oddVersion + 1);
    }

    /**
     * Called holding the segment's mutex: if the previous holder died in the middle of an
     * operation, applies its intent again from the start (every step of it is idempotent),
     * rebuilds the chunk bitmap and the count from the buckets, and clears the intent.
     */
    private void recover(int segment) {
        int base = segmentBases[segment];
        int kind = (int) INTS.getAcquire(buffer, base + INTENT_KIND_OFFSET);
        long version = (long) LONGS.getVolatile(buffer, base + VERSION_OFFSET);
        if (kind == INTENT_NONE && (version & 1) == 0) {
            return;
        }
        if (kind < INTENT_NONE || kind > INTENT_CLEAR) {
            throw corrupted(segment, "its intent kind at offset " + (base + INTENT_KIND_OFFSET) + " is " + kind
                    + ", none of 0 to 3");
        }
        long odd = beginWrite(base);
        if (kind == INTENT_PUT || kind == INTENT_REMOVE) {
            int bucket = buffer.getInt(base + INTENT_BUCKET_OFFSET);
            if (bucket < 0 || bucket >= geometry.buckets()) {
                throw corrupted(segment,
                        "its intent names bucket " + bucket + " at offset " + (base + INTENT_BUCKET_OFFSET)
                                + ", outside 0 to " + (geometry.buckets() - 1));
            }
            if (kind == INTENT_PUT) {
                long word = buffer.getLong(base + INTENT_NEW_WORD_OFFSET);
                checkedRecord(segment, word, true);
                LONGS.set(buffer, base + BUCKETS_OFFSET + bucket * Long.BYTES, word);
            } else {
                shiftBack(segment, null); // a dead writer's shift: stamps of the moved entries stay behind
            }
        } else if (kind == INTENT_CLEAR) {
            clearSegment(segment);
        }
        rebuild(segment);
        LONGS.setOpaque(buffer, base + RECOVERIES_OFFSET, (long) LONGS.getOpaque(buffer, base + RECOVERIES_OFFSET) + 1);
        endWrite(base, odd);
        INTS.setRelease(buffer, base + INTENT_KIND_OFFSET, INTENT_NONE);
    }

    /** Recomputes the bitmap and the count from the buckets' records (which a dead writer may have left unpaired). */
    private void rebuild(int segment) {
        int base = segmentBases[segment];
        int bitmap = base + geometry.bitmapOffset();
        for (int offset = 0; offset < geometry.bitmapBytes(); offset += Long.BYTES) {
            buffer.putLong(bitmap + offset, 0L);
        }
        int count = 0;
        for (int bucket = 0; bucket < geometry.buckets(); bucket++) {
            long word = bucketWord(base, bucket);
            if (word != 0) {
                int record = checkedRecord(segment, word, true);
                markChunks(base, (int) (word & 0xFFFF_FFFFL) - 1, recordChunks(buffer.getInt(record),
                        buffer.getInt(record + 4)), true);
                count++;
            }
        }
        if (count > geometry.segmentEntries()) {
            throw corrupted(segment,
                    count + " buckets are in use, more than its " + geometry.segmentEntries() + " entries");
        }
        buffer.putInt(base + COUNT_OFFSET, count);
    }

    private void clearSegment(int segment) {
        int base = segmentBases[segment];
        int end = base + geometry.dataOffset();
        for (int offset = base + BUCKETS_OFFSET; offset < end; offset += Long.BYTES) {
            buffer.putLong(offset, 0L); // the buckets, then the bitmap
        }
        buffer.putInt(base + COUNT_OFFSET, 0);
        buffer.putInt(base + HINT_OFFSET, 0);
    }

    /**
     * For race tests: a lock-free reader stops once at the named point, after it checked a record,
     * until a writer has rewritten the record's first word and released the segment's mutex
     * (whose owner word is the segment's first, see {@link HostMutex}).
     */
    private void pauseReader(String point, int segment, int record) {
        if (PAUSE_AT != null && PAUSE_AT.equals(point) && READER_PAUSED.compareAndSet(false, true)) {
            int seen = buffer.getInt(record);
            System.out.println("PAUSED " + point);
            System.out.flush();
            while (buffer.getInt(record) == seen
                    || (long) LONGS.getVolatile(buffer, segmentBases[segment] + TableLayout.MUTEX_OFFSET) != 0) {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private static void pause(String point) {
        if (PAUSE_AT != null && PAUSE_AT.equals(point)) {
            System.out.println("PAUSED " + point);
            System.out.flush();
            while (true) {
                LockSupport.park(); // holding the segment, until the test kills this process
            }
        }
    }

    private RegionFormatException corrupted(int segment, String finding) {
        return HeaderFormat.corrupted(file, "has a corrupted " + lower(description) + ", segment " + segment + ": "
                + finding);
    }

    private RegionFullException full(int segment, String finding) {
        return new RegionFullException(description + " (" + file + ") is full: " + finding + " (capacity "
                + geometry.entries() + " entries of " + geometry.averageEntryBytes() + " bytes on average, in "
                + geometry.segments() + " segments). Nothing was written. Remove entries, or create the map under a new"
                + " name (or in a new region) with a larger capacity.", region.options.name(), file, null,
                geometry.entries());
    }

    private static String lower(String description) {
        return Character.toLowerCase(description.charAt(0)) + description.substring(1);
    }
}

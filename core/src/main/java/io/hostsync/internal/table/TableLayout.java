package io.hostsync.internal.table;

import io.hostsync.internal.lock.HostMutex;
import io.hostsync.internal.region.RegionLayout;
import java.nio.charset.StandardCharsets;

/**
 * The memory layout of a shared hash table (the block of a map entry), and its geometry: how a
 * capacity in entries and average entry bytes becomes segments, buckets and bytes. Every offset
 * is a named constant here and in {@code docs/layout.md} ("Map block").
 *
 * <pre>
 *   Map block (at the entry's block offset)
 *   +----------------+-----------+-----------+-----+-------------------+
 *   | table header   | segment 0 | segment 1 | ... | segment count - 1 |
 *   | 128 bytes      | stride    | stride    |     | stride            |
 *   +----------------+-----------+-----------+-----+-------------------+
 *
 *   Table header (written once, by the creator, before the directory entry is published)
 *    0                   4                   8
 *   +-------------------------------------------------------------------------------+
 *   |                         magic ("HSMAP001")                                    |  0
 *   +---------------------------------------+---------------------------------------+
 *   |          segment count (2^k)          |       buckets per segment (2^k)       |  8
 *   +---------------------------------------+---------------------------------------+
 *   |     entries per segment (at most)     |       data bytes per segment          | 16
 *   +---------------------------------------+---------------------------------------+
 *   |          segment stride               |       chunk size (8)                  | 24
 *   +---------------------------------------+---------------------------------------+
 *   |          entries asked                |       average entry bytes asked       | 32
 *   +---------------------------------------+---------------------------------------+
 *   |                       reserved, zero, to 128                                  | 40
 *
 *   Segment (segment stride bytes, at block + 128 + segment x stride)
 *    0                   4                   8
 *   +-------------------------------------------------------------------------------+
 *   |   mutex: owner (slot + 1, generation), futex word, sleepers: HostMutex        |  0..63
 *   +-------------------------------------------------------------------------------+
 *   |   version (seqlock): odd while a writer changes buckets or records            | 64
 *   +---------------------------------------+---------------------------------------+
 *   |   entry count                         |   allocation hint (a chunk index)     | 72
 *   +---------------------------------------+---------------------------------------+
 *   |   recoveries: operations of dead writers completed by the next writer         | 80
 *   +-------------------------------------------------------------------------------+
 *   |                       reserved to 128                                         | 88
 *   +---------------------------------------+---------------------------------------+
 *   |   intent: kind (0 none, 1 put,        |   intent: bucket (put: the one        | 128
 *   |   2 remove, 3 clear)                  |   written; remove: the hole)          |
 *   +---------------------------------------+---------------------------------------+
 *   |   intent: new bucket word (put)                                               | 136
 *   +-------------------------------------------------------------------------------+
 *   |   intent: old bucket word (put: replaced, 0 if inserted; remove: removed)     | 144
 *   +-------------------------------------------------------------------------------+
 *   |                       reserved to 192                                         | 152
 *   +-------------------------------------------------------------------------------+
 *   |   buckets: buckets per segment x 8 bytes; 0 empty, else tag (bits 32-63)      | 192
 *   |   and chunk index + 1 (bits 0-31) of the entry's record                       |
 *   +-------------------------------------------------------------------------------+
 *   |   chunk bitmap: one bit per 8-byte chunk of the data area, set while a        |
 *   |   record uses it (ceil(chunks / 64) longs)                                    |
 *   +-------------------------------------------------------------------------------+
 *   |   data area: records, each at a chunk boundary:                               |
 *   |   key length (int), value length (int), key bytes, value bytes                |
 *   +-------------------------------------------------------------------------------+
 * </pre>
 *
 * <p>A key's 64-bit hash is {@link #hash(byte[])}; its high 32 bits are the tag. The segment is
 * {@code tag & (segments - 1)}, the home bucket {@code (tag >>> log2(segments)) & (buckets - 1)},
 * and the key sits at the first bucket from its home (linear probing) holding its tag and a record
 * with its bytes. Removal shifts the following entries back (no tombstones).
 *
 * <p>Ordering: a writer holds the segment's mutex, writes a new record into free chunks, writes
 * the intent's fields and then its kind (release), makes the version odd, changes buckets, bitmap
 * and count, makes the version even (release), and clears the intent's kind (release). A reader
 * reads the version (acquire), the buckets and record, and the version again after an acquire
 * fence; equal and even means what it read was whole.
 */
public final class TableLayout {

    /** Magic of a table header: the ASCII bytes "HSMAP001" read in the native order. */
    public static final long MAGIC = java.nio.ByteBuffer.wrap("HSMAP001".getBytes(StandardCharsets.US_ASCII))
            .order(RegionLayout.BYTE_ORDER).getLong();

    /** Offset, in the table header, of the magic (long). */
    public static final int MAGIC_OFFSET = 0;
    /** Offset, in the table header, of the number of segments (int), a power of two. */
    public static final int SEGMENT_COUNT_OFFSET = MAGIC_OFFSET + Long.BYTES;
    /** Offset, in the table header, of the number of buckets of a segment (int), a power of two. */
    public static final int BUCKET_COUNT_OFFSET = SEGMENT_COUNT_OFFSET + Integer.BYTES;
    /** Offset, in the table header, of the most entries a segment holds (int). */
    public static final int SEGMENT_ENTRIES_OFFSET = BUCKET_COUNT_OFFSET + Integer.BYTES;
    /** Offset, in the table header, of the size of a segment's data area (int). */
    public static final int DATA_BYTES_OFFSET = SEGMENT_ENTRIES_OFFSET + Integer.BYTES;
    /** Offset, in the table header, of the size of one segment (int). */
    public static final int SEGMENT_STRIDE_OFFSET = DATA_BYTES_OFFSET + Integer.BYTES;
    /** Offset, in the table header, of the chunk size (int). */
    public static final int CHUNK_SIZE_OFFSET = SEGMENT_STRIDE_OFFSET + Integer.BYTES;
    /** Offset, in the table header, of the entries the creator asked for (int). */
    public static final int ENTRIES_ASKED_OFFSET = CHUNK_SIZE_OFFSET + Integer.BYTES;
    /** Offset, in the table header, of the average entry bytes the creator asked for (int). */
    public static final int AVERAGE_BYTES_ASKED_OFFSET = ENTRIES_ASKED_OFFSET + Integer.BYTES;
    /** Size of the table header. */
    public static final int TABLE_HEADER_LENGTH = 2 * RegionLayout.CACHE_LINE;

    /** Offset, in a segment, of its mutex ({@link HostMutex#SIZE} bytes). */
    public static final int MUTEX_OFFSET = 0;
    /** Offset, in a segment, of its seqlock version (long). */
    public static final int VERSION_OFFSET = MUTEX_OFFSET + HostMutex.SIZE;
    /** Offset, in a segment, of its entry count (int). */
    public static final int COUNT_OFFSET = VERSION_OFFSET + Long.BYTES;
    /** Offset, in a segment, of its allocation hint (int): where the search for free chunks starts. */
    public static final int HINT_OFFSET = COUNT_OFFSET + Integer.BYTES;
    /** Offset, in a segment, of the number of dead writers' operations completed (long). */
    public static final int RECOVERIES_OFFSET = HINT_OFFSET + Integer.BYTES;
    /** Offset, in a segment, of the intent record (one cache line). */
    public static final int INTENT_OFFSET = 2 * RegionLayout.CACHE_LINE;
    /** Offset, in a segment, of the intent's kind (int): one of the {@code INTENT_} codes. */
    public static final int INTENT_KIND_OFFSET = INTENT_OFFSET;
    /** Offset, in a segment, of the intent's bucket (int). */
    public static final int INTENT_BUCKET_OFFSET = INTENT_KIND_OFFSET + Integer.BYTES;
    /** Offset, in a segment, of the intent's new bucket word (long). */
    public static final int INTENT_NEW_WORD_OFFSET = INTENT_BUCKET_OFFSET + Integer.BYTES;
    /** Offset, in a segment, of the intent's old bucket word (long). */
    public static final int INTENT_OLD_WORD_OFFSET = INTENT_NEW_WORD_OFFSET + Long.BYTES;
    /** Offset, in a segment, of its bucket array. */
    public static final int BUCKETS_OFFSET = 3 * RegionLayout.CACHE_LINE;

    /** Intent kind: no operation in progress. */
    public static final int INTENT_NONE = 0;
    /** Intent kind: a put writes the new word into the bucket, then frees the old word's record. */
    public static final int INTENT_PUT = 1;
    /** Intent kind: a remove shifts the entries after the hole back, then frees the old word's record. */
    public static final int INTENT_REMOVE = 2;
    /** Intent kind: a clear empties every bucket and the bitmap. */
    public static final int INTENT_CLEAR = 3;

    /** Unit of allocation in a data area, and the alignment of records. */
    public static final int CHUNK = 8;
    /** Size of a record's header: key length (int), then value length (int). */
    public static final int RECORD_HEADER = 2 * Integer.BYTES;

    /** Entries a segment is sized for (before headroom), so that segments stay small and many. */
    static final int TARGET_SEGMENT_ENTRIES = 1024;
    /** Most segments a table has. */
    public static final int MAX_SEGMENTS = 4096;
    /** Most entries a map may be created for. */
    public static final int MAX_ENTRIES = 1 << 26;
    /** Largest average entry (key and value, encoded) a map may be created for. */
    public static final int MAX_AVERAGE_ENTRY_BYTES = 1 << 20;

    private TableLayout() {
    }

    /**
     * The sizes of a table, all derived from the capacity asked for.
     *
     * @param entries the entries asked for
     * @param averageEntryBytes the average bytes of an encoded key and value, asked for
     * @param segments the number of segments, a power of two
     * @param buckets the buckets of a segment, a power of two
     * @param segmentEntries the most entries a segment holds
     * @param dataBytes the size of a segment's data area, a multiple of 64 chunks
     * @param bitmapBytes the size of a segment's chunk bitmap
     * @param segmentStride the size of a segment, a multiple of 128
     */
    public record Geometry(int entries, int averageEntryBytes, int segments, int buckets, int segmentEntries,
            int dataBytes, int bitmapBytes, int segmentStride) {

        /** @return the block length the table needs */
        public long blockLength() {
            return TABLE_HEADER_LENGTH + (long) segments * segmentStride;
        }

        /** @return the chunks of a segment's data area */
        public int chunks() {
            return dataBytes / CHUNK;
        }

        /** @return log2 of the segment count */
        public int segmentBits() {
            return Integer.numberOfTrailingZeros(segments);
        }

        /** @return the offset of the bitmap in a segment */
        public int bitmapOffset() {
            return BUCKETS_OFFSET + buckets * Long.BYTES;
        }

        /** @return the offset of the data area in a segment */
        public int dataOffset() {
            return bitmapOffset() + bitmapBytes;
        }
    }

    /**
     * Derives a table's geometry: segments of about {@value #TARGET_SEGMENT_ENTRIES} entries, each
     * with headroom of four standard deviations (keys do not spread evenly) plus 8 entries; buckets
     * at most about two thirds full; data area for that many records of the average size, plus an
     * eighth for values that change size and for fragmentation.
     *
     * @param entries the entries asked for, 1 to {@link #MAX_ENTRIES}
     * @param averageEntryBytes average key plus value bytes, 1 to {@link #MAX_AVERAGE_ENTRY_BYTES}
     * @return the geometry
     * @throws IllegalArgumentException if the table would not fit the largest region
     */
    public static Geometry geometry(int entries, int averageEntryBytes) {
        int segments = Math.min(MAX_SEGMENTS, Integer.highestOneBit(Math.max(1,
                (entries + TARGET_SEGMENT_ENTRIES - 1) / TARGET_SEGMENT_ENTRIES) * 2 - 1));
        long perSegment = ((long) entries + segments - 1) / segments;
        long segmentEntries = perSegment + 4 * (long) Math.ceil(Math.sqrt(perSegment)) + 8;
        long buckets = Long.highestOneBit(segmentEntries * 3 / 2 * 2 - 1);
        long record = align(RECORD_HEADER + (long) averageEntryBytes, CHUNK);
        long dataBytes = align(segmentEntries * record + segmentEntries * record / 8, 64L * CHUNK);
        long bitmapBytes = dataBytes / CHUNK / 64 * Long.BYTES;
        long stride = align(BUCKETS_OFFSET + buckets * Long.BYTES + bitmapBytes + dataBytes,
                2L * RegionLayout.CACHE_LINE);
        long block = TABLE_HEADER_LENGTH + segments * stride;
        if (block > RegionLayout.MAX_REGION_SIZE) {
            throw new IllegalArgumentException("A map of " + entries + " entries of " + averageEntryBytes
                    + " bytes on average needs " + block + " bytes, more than the largest region ("
                    + RegionLayout.MAX_REGION_SIZE + " bytes): give fewer entries or smaller ones");
        }
        return new Geometry(entries, averageEntryBytes, segments, (int) buckets, (int) segmentEntries, (int) dataBytes,
                (int) bitmapBytes, (int) stride);
    }

    /**
     * The 64-bit hash of an encoded key, part of the layout (a C reader computes the same): for
     * each 8-byte little-endian word of the key (the last one zero-padded),
     * {@code h = rotl(h ^ (w * 0xC2B2AE3D27D4EB4F), 31) * 0x9E3779B97F4A7C15}, starting from
     * {@code length * 0x9E3779B97F4A7C15}; then MurmurHash3's 64-bit finalizer.
     *
     * @param key the encoded key
     * @return its hash
     */
    public static long hash(byte[] key) {
        long h = key.length * 0x9E3779B97F4A7C15L;
        int full = key.length & ~7;
        for (int i = 0; i < full; i += 8) {
            h = step(h, (long) KeyWords.LITTLE_ENDIAN_LONGS.get(key, i));
        }
        if (full < key.length) {
            long tail = 0;
            for (int i = key.length - 1; i >= full; i--) {
                tail = (tail << 8) | (key[i] & 0xFF);
            }
            h = step(h, tail);
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    private static long step(long h, long word) {
        return Long.rotateLeft(h ^ (word * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
    }

    /**
     * Returns the offset of a segment.
     *
     * @param blockOffset the map block's offset in the region
     * @param geometry the table's geometry
     * @param segment the segment
     * @return its offset in the region
     */
    public static int segmentOffset(long blockOffset, Geometry geometry, int segment) {
        return (int) (blockOffset + TABLE_HEADER_LENGTH + (long) segment * geometry.segmentStride());
    }

    static long align(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    /** Views of byte arrays as longs, for hashing and comparing keys a word at a time. */
    static final class KeyWords {
        static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONGS = java.lang.invoke.MethodHandles
                .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        static final java.lang.invoke.VarHandle NATIVE_LONGS = java.lang.invoke.MethodHandles
                .byteArrayViewVarHandle(long[].class, RegionLayout.BYTE_ORDER);

        private KeyWords() {
        }
    }
}

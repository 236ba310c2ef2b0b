package io.hostsync.internal.region;

import io.hostsync.RegionHeader;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The memory layout of a region file, layout version {@value #LAYOUT_VERSION}. Every offset is
 * a named constant here and in {@code docs/layout.md}, so that a C or Python program can join a
 * region. All integers are in the platform's native byte order (little-endian on the supported
 * x86-64 and aarch64).
 *
 * <pre>
 *   Region file
 *   0                  4096 (PAGE_SIZE)
 *   +------------------+----------------+----------------+-----------------------+-----------+
 *   | Header           | Slot table     | Lock table     | Holder table          | Data area |
 *   |                  | slotCapacity x | lockCapacity x | slotCapacity rows x   | directory |
 *   |                  | SLOT_STRIDE    | lockStride     | lockCapacity records  | then heap |
 *   +------------------+----------------+----------------+-----------------------+-----------+
 *                      ^ SLOT_TABLE_    ^ lockTable-     ^ holderTableOffset     ^ dataOffset
 *                        OFFSET           Offset           (each area starts on a page)
 *
 *   Header (first page)
 *    0                   4                   8                  12                  16
 *   +-------------------------------------------------------------------------------+
 *   |                       magic ("HOSTSYNC", or "HOSTINIT")                       |  0
 *   +---------------------------------------+---------------------------------------+
 *   |            layout version             |              page size                |  8
 *   +---------------------------------------+---------------------------------------+
 *   |                              region size (bytes)                              | 16
 *   +-------------------------------------------------------------------------------+
 *   |                     creation time (ms since the epoch, UTC)                   | 24
 *   +-------------------------------------------------------------------------------+
 *   |                                    flags                                      | 32
 *   +---------------------------------------+---------------------------------------+
 *   |          slot table offset            |            slot capacity              | 40
 *   +---------------------------------------+---------------------------------------+
 *   |             slot stride               |              (reserved)               | 48
 *   +---------------------------------------+---------------------------------------+
 *   |                           data offset (bytes)                                 | 56
 *   +---------------------------------------+---------------------------------------+
 *   |            lock capacity              |              lock stride              | 64
 *   +---------------------------------------+---------------------------------------+
 *   |                          lock table offset (bytes)                            | 72
 *   +-------------------------------------------------------------------------------+
 *   |                        holder table offset (bytes)                            | 80
 *   +---------------------------------------+---------------------------------------+
 *   |          holder row stride            |           entry capacity              | 88
 *   +---------------------------------------+---------------------------------------+
 *   |                      heap offset (bytes): after the directory                 | 96
 *   +-------------------------------------------------------------------------------+
 *   |          heap top (bytes): first unallocated byte; grows under byte-0's lock  | 104
 *   +---------------------------------------+---------------------------------------+
 *   |   lock backend (0 robust, 1 posix,    |              (reserved)               | 112
 *   |   2 file)                             |                                       |
 *   +---------------------------------------+---------------------------------------+
 *   |                       reserved, zero                                          | 120
 *   +-------------------------------------------------------------------------------+
 *   |   lock table's claim mutex (64 bytes): owner slot+1 and generation (long),    | 4032
 *   |   futex word (int), sleepers (int); the header page's last cache line         |
 *
 *   Process slot (SLOT_STRIDE = 128 bytes, two cache lines)
 *    0                   4                   8
 *   +---------------------------------------+---------------------------------------+
 *   |   state (0 free, 1 active)            |              (reserved)               |  0
 *   +-------------------------------------------------------------------------------+
 *   |                  generation (incremented at every claim)                      |  8
 *   +-------------------------------------------------------------------------------+
 *   |                  pid, as the owning process sees itself                       | 16
 *   +-------------------------------------------------------------------------------+
 *   |                  claim time (ms since the epoch, UTC)                         | 24
 *   +-------------------------------------------------------------------------------+
 *   |                  PID namespace inode of the owner (/proc/self/ns/pid)         | 32
 *   +---------------------------------------+---------------------------------------+
 *   |          host name length             |              (reserved)               | 40
 *   +---------------------------------------+---------------------------------------+
 *   |                  host name, UTF-8, HOST_NAME_CAPACITY bytes                   | 48..127
 *   +-------------------------------------------------------------------------------+
 *
 *   Lock record (lockStride bytes: three cache lines, then the reader bitmap)
 *    0                   4                   8
 *   +-------------------------------------------------------------------------------+
 *   |  state: owner slot+1 (bits 0-12), flags (13-17), owner generation (32-63)     |  0
 *   +---------------------------------------+---------------------------------------+
 *   |   robust: readers' futex word         |   robust: writers' futex word         |  8
 *   +---------------------------------------+---------------------------------------+
 *   |      posix: pid of a process that died holding or waiting (0: none)           | 16
 *   +---------------------------------------+---------------------------------------+
 *   |      posix: its slot + 1 (0: none)    |   robust: drain futex word            | 24
 *   +---------------------------------------+---------------------------------------+
 *   |                       (reserved to the end of the line)                       | 32..63
 *   +---------------------------------------+---------------------------------------+
 *   |   in use (0 free, 1 named, 2 keyed,   |          name length                  | 64
 *   |   3 keyed being reclaimed)            |                                       |
 *   +---------------------------------------+---------------------------------------+
 *   |   name, UTF-8, LOCK_NAME_CAPACITY bytes; keyed: family, a 0 byte, the key     | 72..127
 *   +-------------------------------------------------------------------------------+
 *   |     posix: pthread_rwlock_t (56 bytes, glibc x86-64 / aarch64)                | 128..183
 *   +-------------------------------------------------------------------------------+
 *   |     file: 184 lock byte, 185 writer gate, 186 readers waiting (OFD locks)     | 184..191
 *   +-------------------------------------------------------------------------------+
 *   |     reader bitmap: bit s set once slot s has read-locked (64-bit words)       | 192..
 *   +-------------------------------------------------------------------------------+
 *
 *   Holder record (HOLDER_STRIDE = 64 bytes, one per slot and lock, at
 *   holderTableOffset + slot x holderRowStride + lock x HOLDER_STRIDE; written only by the
 *   slot's owner, so processes never share a cache line on the read path)
 *    0                   4                   8
 *   +-------------------------------------------------------------------------------+
 *   |   reads held (bits 0-23) | read acquisitions (bits 24-63)                     |  0
 *   +---------------------------------------+---------------------------------------+
 *   |          waiting readers              |          waiting writers              |  8
 *   +-------------------------------------------------------------------------------+
 *   |                          write acquisitions                                   | 16
 *   +---------------------------------------+---------------------------------------+
 *   |  writing (1 between drain and release)|   pins: threads holding or waiting    | 24
 *   |                                       |   for the keyed lock in this record   |
 *   +---------------------------------------+---------------------------------------+
 *   |                          contended acquisitions                               | 32
 *   +-------------------------------------------------------------------------------+
 *   |                          total wait (nanoseconds)                             | 40
 *   +-------------------------------------------------------------------------------+
 *   |                          timeouts                                             | 48
 *   +-------------------------------------------------------------------------------+
 *   |                          recoveries performed by this slot                    | 56
 *   +-------------------------------------------------------------------------------+
 *
 *   Directory entry (ENTRY_STRIDE = 128 bytes, at dataOffset + entry x ENTRY_STRIDE)
 *    0                   4                   8
 *   +---------------------------------------+---------------------------------------+
 *   |   state (0 free, 1 ready; last)       |            type                       |  0
 *   +-------------------------------------------------------------------------------+
 *   |                  block offset (bytes from the start of the region)            |  8
 *   +-------------------------------------------------------------------------------+
 *   |                  block length (bytes)                                         | 16
 *   +-------------------------------------------------------------------------------+
 *   |                  parameter (array length, value capacity, permits)            | 24
 *   +---------------------------------------+---------------------------------------+
 *   |          name length                  |              (reserved)               | 32
 *   +---------------------------------------+---------------------------------------+
 *   |                  name, UTF-8, ENTRY_NAME_CAPACITY bytes                       | 40..127
 *   +-------------------------------------------------------------------------------+
 * </pre>
 *
 * <h2>Byte-range locks</h2>
 * Besides its contents, the file carries open-file-description (OFD) locks, which the kernel
 * releases when the owning process dies, whatever its PID namespace:
 * <ul>
 *   <li>{@link #INIT_LOCK_BYTE}: held exclusively while a process creates, validates or deletes
 *       the region and claims its slot;</li>
 *   <li>the first byte of each slot ({@link #slotOffset(int)}): held exclusively by the slot's
 *       owner for as long as it has the region open. A slot whose byte no other process has
 *       locked belongs to nobody alive.</li>
 * </ul>
 *
 * <h2>Publication</h2>
 * A creator writes {@link #INIT_MAGIC} before extending the file, fills in every header field,
 * then writes {@link #MAGIC} with release ordering; an opener validates the magic (acquire)
 * before any other field. A slot owner writes its fields, then {@link #SLOT_STATE_ACTIVE} with
 * release ordering; a reader reads the state with acquire ordering, then the fields, then the
 * generation again to detect a concurrent re-claim.
 *
 * <p>One class, over 400 lines, on purpose: it is the layout's single descriptor, every offset a
 * named constant derived from the one before it, so that it can be read (and checked against
 * {@code docs/layout.md}) in one place.
 */
public final class RegionLayout {

    /** The layout version this library writes and the newest it reads. */
    public static final int LAYOUT_VERSION = 1;

    /** Alignment unit of the layout's areas, and the header's size. */
    public static final int PAGE_SIZE = 4096;

    /** Byte order of every integer in the region. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.nativeOrder();

    /** Magic of an initialised region: the ASCII bytes "HOSTSYNC" read in the native order. */
    public static final long MAGIC = asciiMagic("HOSTSYNC");

    /** Magic of a region whose creator has not finished (or died while) initialising it. */
    public static final long INIT_MAGIC = asciiMagic("HOSTINIT");

    /** Offset of the magic (long). */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version (int). */
    public static final int LAYOUT_VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    /** Offset of the page size (int) the layout was written with. */
    public static final int PAGE_SIZE_OFFSET = LAYOUT_VERSION_OFFSET + Integer.BYTES;
    /** Offset of the region size in bytes (long). */
    public static final int REGION_SIZE_OFFSET = PAGE_SIZE_OFFSET + Integer.BYTES;
    /** Offset of the creation time in milliseconds since the epoch (long). */
    public static final int CREATION_TIME_OFFSET = REGION_SIZE_OFFSET + Long.BYTES;
    /** Offset of the flags (long); no flag is defined in layout version 1. */
    public static final int FLAGS_OFFSET = CREATION_TIME_OFFSET + Long.BYTES;
    /** Offset of the slot table's offset (int). */
    public static final int SLOT_TABLE_OFFSET_OFFSET = FLAGS_OFFSET + Long.BYTES;
    /** Offset of the number of process slots (int). */
    public static final int SLOT_CAPACITY_OFFSET = SLOT_TABLE_OFFSET_OFFSET + Integer.BYTES;
    /** Offset of the size of one slot (int). */
    public static final int SLOT_STRIDE_OFFSET = SLOT_CAPACITY_OFFSET + Integer.BYTES;
    /** Offset of the data area's offset (long). */
    public static final int DATA_OFFSET_OFFSET = SLOT_STRIDE_OFFSET + 2 * Integer.BYTES;
    /** Offset of the number of lock records (int). */
    public static final int LOCK_CAPACITY_OFFSET = DATA_OFFSET_OFFSET + Long.BYTES;
    /** Offset of the size of one lock record (int). */
    public static final int LOCK_STRIDE_OFFSET = LOCK_CAPACITY_OFFSET + Integer.BYTES;
    /** Offset of the lock table's offset (long). */
    public static final int LOCK_TABLE_OFFSET_OFFSET = LOCK_STRIDE_OFFSET + Integer.BYTES;
    /** Offset of the holder table's offset (long). */
    public static final int HOLDER_TABLE_OFFSET_OFFSET = LOCK_TABLE_OFFSET_OFFSET + Long.BYTES;
    /** Offset of the size of one row (one slot) of the holder table (int). */
    public static final int HOLDER_ROW_STRIDE_OFFSET = HOLDER_TABLE_OFFSET_OFFSET + Long.BYTES;
    /** Offset of the number of directory entries (int). */
    public static final int ENTRY_CAPACITY_OFFSET = HOLDER_ROW_STRIDE_OFFSET + Integer.BYTES;
    /** Offset of the heap's offset (long): where entry blocks are allocated, after the directory. */
    public static final int HEAP_OFFSET_OFFSET = ENTRY_CAPACITY_OFFSET + Integer.BYTES;
    /** Offset of the heap top (long): the first byte not yet allocated; changed under the byte-0 lock. */
    public static final int HEAP_TOP_OFFSET = HEAP_OFFSET_OFFSET + Long.BYTES;
    /**
     * Offset of the lock backend (int) every lock of the region uses: {@link #BACKEND_ROBUST},
     * {@link #BACKEND_POSIX} or {@link #BACKEND_FILE}; set at creation, checked at every open.
     */
    public static final int LOCK_BACKEND_OFFSET = HEAP_TOP_OFFSET + Long.BYTES;
    /** Number of header bytes that carry fields; the rest of the header page is reserved. */
    public static final int HEADER_FIELDS_LENGTH = LOCK_BACKEND_OFFSET + 2 * Integer.BYTES;

    /** Lock backend code: hostsync's own crash-safe lock (state word, holder records, futex). */
    public static final int BACKEND_ROBUST = 0;
    /** Lock backend code: a process-shared glibc {@code pthread_rwlock_t} at {@link #LOCK_POSIX_OFFSET}. */
    public static final int BACKEND_POSIX = 1;
    /** Lock backend code: OFD byte-range locks on {@link #LOCK_FILE_BYTE_OFFSET} and the byte after it. */
    public static final int BACKEND_FILE = 2;

    /** The byte whose OFD lock serialises creation, validation, deletion and slot claims. */
    public static final int INIT_LOCK_BYTE = 0;

    /** Where the slot table starts: right after the header page. */
    public static final int SLOT_TABLE_OFFSET = PAGE_SIZE;
    /** Size of one process slot: two 64-byte cache lines. */
    public static final int SLOT_STRIDE = 128;

    /** Offset, in a slot, of its state (int): {@link #SLOT_STATE_FREE} or {@link #SLOT_STATE_ACTIVE}. */
    public static final int SLOT_STATE_OFFSET = 0;
    /** Offset, in a slot, of its generation (long), incremented at every claim. */
    public static final int SLOT_GENERATION_OFFSET = 8;
    /** Offset, in a slot, of the owner's pid as it sees itself (long). */
    public static final int SLOT_PID_OFFSET = SLOT_GENERATION_OFFSET + Long.BYTES;
    /** Offset, in a slot, of the claim time in milliseconds since the epoch (long). */
    public static final int SLOT_SINCE_OFFSET = SLOT_PID_OFFSET + Long.BYTES;
    /** Offset, in a slot, of the owner's PID namespace inode (long), 0 if unknown. */
    public static final int SLOT_PID_NAMESPACE_OFFSET = SLOT_SINCE_OFFSET + Long.BYTES;
    /** Offset, in a slot, of the length in bytes of the host name (int). */
    public static final int SLOT_HOST_LENGTH_OFFSET = SLOT_PID_NAMESPACE_OFFSET + Long.BYTES;
    /** Offset, in a slot, of the host name's UTF-8 bytes. */
    public static final int SLOT_HOST_OFFSET = SLOT_HOST_LENGTH_OFFSET + 2 * Integer.BYTES;
    /** Room for the host name; longer names are cut. */
    public static final int HOST_NAME_CAPACITY = SLOT_STRIDE - SLOT_HOST_OFFSET;

    /** Slot state: nobody has claimed the slot, or its owner closed the region. */
    public static final int SLOT_STATE_FREE = 0;
    /** Slot state: claimed; the owner is alive exactly while it holds the slot's OFD lock. */
    public static final int SLOT_STATE_ACTIVE = 1;

    /** Size of a cache line, the unit of padding between data that different processes write. */
    public static final int CACHE_LINE = 64;

    /**
     * Offset of the lock table's claim mutex (a {@code HostMutex}: owner slot + 1 and generation,
     * a long; a futex word and a sleepers flag, ints), held while a process names a free record
     * or reclaims a keyed one: the header page's last cache line.
     */
    public static final int LOCK_TABLE_MUTEX_OFFSET = PAGE_SIZE - CACHE_LINE;

    /** Offset, in a lock record, of the state word (long); see {@code RobustLock} and {@code LockWord} for its bits. */
    public static final int LOCK_STATE_OFFSET = 0;
    /**
     * Offset, in a lock record, of the 32-bit futex word {@code robust} readers sleep on (int),
     * bumped by whoever changes what they wait for before it wakes them.
     */
    public static final int LOCK_FUTEX_OFFSET = 8;
    /** Offset, in a lock record, of the futex word {@code robust} writers waiting to own the lock sleep on (int). */
    public static final int LOCK_WRITERS_FUTEX_OFFSET = 12;
    /**
     * Offset, in a lock record, of the futex word the {@code robust} owner sleeps on while readers
     * drain (int): a reader's last release wakes it alone.
     */
    public static final int LOCK_DRAIN_FUTEX_OFFSET = 28;
    /**
     * Offset, in a lock record, of its in-use flag (int): {@link #LOCK_FREE}, {@link #LOCK_NAMED},
     * {@link #LOCK_KEYED} or {@link #LOCK_RECLAIMING}.
     */
    public static final int LOCK_IN_USE_OFFSET = CACHE_LINE;
    /** In-use flag of a lock record that no lock uses; creating a lock takes it, under the initialisation lock. */
    public static final int LOCK_FREE = 0;
    /** In-use flag of a named lock's record, which it keeps for the life of the region. */
    public static final int LOCK_NAMED = 1;
    /**
     * In-use flag of a keyed lock's record: its name field holds the family, a 0 byte and the key.
     * It belongs to that key while a live slot pins it ({@link #HOLDER_PINS_OFFSET}), and may be
     * reclaimed once none does and the lock is free.
     */
    public static final int LOCK_KEYED = 2;
    /**
     * In-use flag of a keyed record being reclaimed, set (by compare-and-set from
     * {@link #LOCK_KEYED}) under the initialisation lock before the pins are read: a thread that
     * pins the record and then finds this flag lets go of it. The name is still the key's.
     */
    public static final int LOCK_RECLAIMING = 3;
    /** Offset, in a lock record, of the length of its name (int). */
    public static final int LOCK_NAME_LENGTH_OFFSET = LOCK_IN_USE_OFFSET + Integer.BYTES;
    /** Offset, in a lock record, of its name's UTF-8 bytes. */
    public static final int LOCK_NAME_OFFSET = LOCK_NAME_LENGTH_OFFSET + Integer.BYTES;
    /** Room for a lock name. */
    public static final int LOCK_NAME_CAPACITY = 2 * CACHE_LINE - LOCK_NAME_OFFSET;
    /**
     * Offset, in a lock record, of the pid (long) of a process that died holding or waiting for
     * a {@code posix} lock, as it saw itself; 0 if none is known. Cleared by a reset.
     */
    public static final int LOCK_DEAD_HOLDER_PID_OFFSET = 16;
    /** Offset, in a lock record, of that dead process's slot + 1 (int); 0 if none is known. */
    public static final int LOCK_DEAD_HOLDER_SLOT_OFFSET = 24;
    /**
     * Offset, in a lock record, of the {@code pthread_rwlock_t} of the {@code posix} backend
     * ({@link #POSIX_RWLOCK_SIZE} bytes, 64-byte aligned), initialised process-shared with
     * {@code PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP} when the lock record is created.
     */
    public static final int LOCK_POSIX_OFFSET = 2 * CACHE_LINE;
    /** Size of glibc's {@code pthread_rwlock_t} on x86-64 and aarch64. */
    public static final int POSIX_RWLOCK_SIZE = 56;
    /**
     * Offset, in a lock record, of the byte whose OFD lock is the {@code file} backend's lock
     * (read lock shared, write lock exclusive); the next byte is its writer gate, held
     * exclusively by a waiting writer so that new readers queue behind it; the byte after is
     * held shared by processes whose readers wait, so that writers not yet at the gate yield.
     */
    public static final int LOCK_FILE_BYTE_OFFSET = LOCK_POSIX_OFFSET + POSIX_RWLOCK_SIZE;
    /** Offset, in a lock record, of the reader bitmap (one bit per slot, in 64-bit words). */
    public static final int LOCK_READER_BITMAP_OFFSET = 3 * CACHE_LINE;
    /** Name of lock 0, which every region has. */
    public static final String DEFAULT_LOCK_NAME = "default";

    /** Size of one holder record. */
    public static final int HOLDER_STRIDE = CACHE_LINE;
    /** Offset, in a holder record, of reads held (bits 0-23) and read acquisitions (bits 24-63), a long. */
    public static final int HOLDER_READS_OFFSET = 0;
    /** Offset, in a holder record, of the number of this slot's threads waiting to read (int). */
    public static final int HOLDER_WAITING_READERS_OFFSET = 8;
    /** Offset, in a holder record, of the number of this slot's threads waiting to write (int). */
    public static final int HOLDER_WAITING_WRITERS_OFFSET = 12;
    /** Offset, in a holder record, of the number of write acquisitions (long). */
    public static final int HOLDER_WRITE_ACQUISITIONS_OFFSET = 16;
    /** Offset, in a holder record, of the writing flag (int): 1 while this slot's writer may be changing data. */
    public static final int HOLDER_WRITING_OFFSET = 24;
    /**
     * Offset, in a holder record, of the slot's pins of a keyed lock's record (int): how many of
     * its threads hold or wait for the keyed lock there. A thread pins before it checks that the
     * record still belongs to its key, and unpins after its last release.
     */
    public static final int HOLDER_PINS_OFFSET = 28;
    /** Offset, in a holder record, of the number of acquisitions that had to wait (long). */
    public static final int HOLDER_CONTENDED_OFFSET = 32;
    /** Offset, in a holder record, of the total time waited, in nanoseconds (long). */
    public static final int HOLDER_WAIT_NANOS_OFFSET = 40;
    /** Offset, in a holder record, of the number of timed-out acquisitions (long). */
    public static final int HOLDER_TIMEOUTS_OFFSET = 48;
    /** Offset, in a holder record, of the number of dead holders this slot recovered (long). */
    public static final int HOLDER_RECOVERIES_OFFSET = 56;

    /** Size of one directory entry. */
    public static final int ENTRY_STRIDE = 2 * CACHE_LINE;
    /** Offset, in an entry, of its state (int): 0 free, 1 ready. */
    public static final int ENTRY_STATE_OFFSET = 0;
    /** Offset, in an entry, of its type (int), one of {@code EntryType}'s codes. */
    public static final int ENTRY_TYPE_OFFSET = 4;
    /** Offset, in an entry, of its block's offset in the region (long). */
    public static final int ENTRY_BLOCK_OFFSET = 8;
    /** Offset, in an entry, of its block's length (long). */
    public static final int ENTRY_BLOCK_LENGTH_OFFSET = 16;
    /** Offset, in an entry, of its type's parameter (long). */
    public static final int ENTRY_PARAMETER_OFFSET = 24;
    /** Offset, in an entry, of its name's length (int). */
    public static final int ENTRY_NAME_LENGTH_OFFSET = 32;
    /** Offset, in an entry, of its name's UTF-8 bytes. */
    public static final int ENTRY_NAME_OFFSET = 40;
    /** Room for an entry name. */
    public static final int ENTRY_NAME_CAPACITY = ENTRY_STRIDE - ENTRY_NAME_OFFSET;
    /** Alignment of entry blocks: two cache lines, so that no two entries share one. */
    public static final int BLOCK_ALIGNMENT = 2 * CACHE_LINE;
    /** Fewest directory entries a region may have. */
    public static final int MIN_ENTRY_CAPACITY = 1;
    /** Most directory entries a region may have. */
    public static final int MAX_ENTRY_CAPACITY = 65536;

    /** Fewest locks a region may have: the default lock. */
    public static final int MIN_LOCK_CAPACITY = 1;
    /** Most locks a region may have. */
    public static final int MAX_LOCK_CAPACITY = 1024;

    /** Fewest process slots a region may have. */
    public static final int MIN_SLOT_CAPACITY = 1;
    /** Most process slots a region may have. */
    public static final int MAX_SLOT_CAPACITY = 4096;

    /** Largest region: {@link java.nio.MappedByteBuffer} indexes with an {@code int}. */
    public static final long MAX_REGION_SIZE = 1L << 30;

    private RegionLayout() {
    }

    /**
     * Returns the offset of a process slot.
     *
     * @param slot the slot index, from 0
     * @return its offset in the file
     */
    public static int slotOffset(int slot) {
        return SLOT_TABLE_OFFSET + slot * SLOT_STRIDE;
    }

    /**
     * Returns the size of a lock record: two cache lines, then the reader bitmap padded to a
     * cache line.
     *
     * @param slotCapacity the number of process slots
     * @return the lock stride in bytes
     */
    public static int lockStride(int slotCapacity) {
        int bitmapBytes = ((slotCapacity + 63) / 64) * Long.BYTES;
        return LOCK_READER_BITMAP_OFFSET + align(bitmapBytes, CACHE_LINE);
    }

    /**
     * Returns the offset of the lock table: the end of the slot table, rounded up to a page.
     *
     * @param slotCapacity the number of process slots
     * @return the lock table's offset
     */
    public static long lockTableOffset(int slotCapacity) {
        return alignToPage(SLOT_TABLE_OFFSET + (long) slotCapacity * SLOT_STRIDE);
    }

    /**
     * Returns the size of one row of the holder table: one record per lock, padded to two cache
     * lines so that the adjacent-line prefetcher never pairs two slots' rows.
     *
     * @param lockCapacity the number of locks
     * @return the row stride in bytes
     */
    public static int holderRowStride(int lockCapacity) {
        return align(lockCapacity * HOLDER_STRIDE, 2 * CACHE_LINE);
    }

    /**
     * Returns the offset of the holder table: the end of the lock table, rounded up to a page.
     *
     * @param slotCapacity the number of process slots
     * @param lockCapacity the number of locks
     * @return the holder table's offset
     */
    public static long holderTableOffset(int slotCapacity, int lockCapacity) {
        return alignToPage(lockTableOffset(slotCapacity) + (long) lockCapacity * lockStride(slotCapacity));
    }

    /**
     * Returns the offset of the heap: the end of the directory, rounded up to a page.
     *
     * @param slotCapacity the number of process slots
     * @param lockCapacity the number of locks
     * @param entryCapacity the number of directory entries
     * @return the heap's offset
     */
    public static long heapOffset(int slotCapacity, int lockCapacity, int entryCapacity) {
        return alignToPage(dataOffset(slotCapacity, lockCapacity) + (long) entryCapacity * ENTRY_STRIDE);
    }

    /**
     * Returns the offset of the data area (the directory, then the heap): the end of the holder
     * table, rounded up to a page.
     *
     * @param slotCapacity the number of process slots
     * @param lockCapacity the number of locks
     * @return the data area's offset
     */
    public static long dataOffset(int slotCapacity, int lockCapacity) {
        return alignToPage(holderTableOffset(slotCapacity, lockCapacity)
                + (long) slotCapacity * holderRowStride(lockCapacity));
    }

    /**
     * Returns the smallest region size: the header, the slot, lock and holder tables, the
     * directory, and one page of heap.
     *
     * @param slotCapacity the number of process slots
     * @param lockCapacity the number of locks
     * @param entryCapacity the number of directory entries
     * @return the minimum size in bytes
     */
    public static long minimumSize(int slotCapacity, int lockCapacity, int entryCapacity) {
        return heapOffset(slotCapacity, lockCapacity, entryCapacity) + PAGE_SIZE;
    }

    /**
     * Returns the offset of a lock record.
     *
     * @param header the region's header
     * @param index the lock's index in the lock table
     * @return the offset of its state word
     */
    public static int lockRecordOffset(RegionHeader header, int index) {
        return (int) (header.lockTableOffset() + (long) index * header.lockStride());
    }

    /**
     * Returns the offset of a slot's holder record of a lock.
     *
     * @param header the region's header
     * @param slot the slot
     * @param index the lock's index in the lock table
     * @return the offset of the record's first word
     */
    public static int holderOffset(RegionHeader header, int slot, int index) {
        return (int) (header.holderTableOffset() + (long) slot * header.holderRowStride()
                + (long) index * HOLDER_STRIDE);
    }

    /**
     * Returns the offset of a directory entry.
     *
     * @param header the region's header
     * @param index the entry's index in the directory
     * @return the offset of its state word
     */
    public static int entryOffset(RegionHeader header, int index) {
        return (int) (header.dataOffset() + (long) index * ENTRY_STRIDE);
    }

    private static int align(int value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    /**
     * Rounds up to a multiple of {@link #PAGE_SIZE}.
     *
     * @param value a non-negative number of bytes
     * @return the aligned value
     */
    public static long alignToPage(long value) {
        return (value + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    /**
     * Renders a magic number as its ASCII text, with unprintable bytes as dots, for messages.
     *
     * @param magic the value read at {@link #MAGIC_OFFSET}
     * @return for example {@code "HOSTSYNC"}
     */
    public static String magicText(long magic) {
        byte[] bytes = java.nio.ByteBuffer.allocate(Long.BYTES).order(BYTE_ORDER).putLong(magic).array();
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return text.toString();
    }

    private static long asciiMagic(String text) {
        return java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)).order(BYTE_ORDER).getLong();
    }
}

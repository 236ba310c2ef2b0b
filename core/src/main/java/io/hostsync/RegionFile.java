package io.hostsync;

import static io.hostsync.RegionLayout.BYTE_ORDER;

import io.hostsync.internal.Platform;
import io.hostsync.internal.ProcessIdentity;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * One region file opened by this JVM: its descriptor (which owns the slot's lock), its
 * mapping, its validated header and the slot this JVM claimed. Shared by every
 * {@link SharedRegion} handle of the same file in the JVM, so the whole JVM is one participant.
 */
final class RegionFile {

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, BYTE_ORDER);
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, BYTE_ORDER);

    /** How many times a reader retries a slot record that its owner is rewriting. */
    private static final int SLOT_READ_ATTEMPTS = 100;

    final RegionOptions options;
    final Path file;
    final MappedByteBuffer buffer;
    final RegionHeader header;
    final int slot;
    final long generation;
    final boolean created;
    /** Native address of the mapping's first byte, for futex calls. */
    final long address;
    /** This JVM's view of the region's entries. */
    private volatile SharedState state;
    /** The locks of this region that this JVM has asked for, by name; guarded by itself. */
    private final Map<String, RWLock> locks = new java.util.HashMap<>();
    /** Set when the slot is released: from then on the slot's records may belong to another process. */
    private volatile boolean closed;
    /** Number of open {@link SharedRegion} handles; guarded by {@link SharedRegion}'s registry. */
    int handles = 1;

    /** The open file: the region layer this JVM uses. */
    final RegionDescriptor descriptor;

    private RegionFile(RegionOptions options, RegionDescriptor descriptor, MappedByteBuffer buffer, RegionHeader header,
            int slot, long generation, boolean created) {
        this.options = options;
        this.file = options.file();
        this.descriptor = descriptor;
        this.buffer = buffer;
        this.header = header;
        this.slot = slot;
        this.generation = generation;
        this.created = created;
        this.address = descriptor.address(buffer);
    }

    /**
     * Creates or opens the region file, validates it and claims a process slot.
     */
    static RegionFile open(RegionOptions options) {
        if (options.backend() == Backend.POSIX) {
            String reason = Platform.portable() ? "it needs the native Linux region layer, and this process uses the"
                    + " portable one (" + Platform.portableReason() + ")" : io.hostsync.internal.Posix.unsupportedReason();
            if (reason != null) {
                throw new BackendRefusedException("Region '" + options.name() + "' cannot use the posix lock backend here: "
                        + reason + ". Use backend robust (crash-safe, the default on Linux) or file.");
            }
        }
        prepareDirectory(options);
        long deadline = System.nanoTime() + options.openTimeout().toNanos();
        while (true) {
            boolean[] created = new boolean[1];
            RegionDescriptor descriptor = RegionDescriptor.openOrCreate(options, created);
            boolean done = false;
            try {
                acquireInitLock(descriptor, deadline, options.openTimeout());
                RegionDescriptor.FileStatus status = descriptor.status();
                if (!status.isStill(options.file())) {
                    continue; // deleted or replaced between open and lock: start again on the current file
                }
                if (created[0]) {
                    descriptor.setMode(options.fileMode()); // creation applied the umask
                    status = descriptor.status();
                }
                status.checkOwnerAndMode(options, descriptor.effectiveUid());
                RegionFile region = initialiseOrValidate(descriptor, status, options);
                done = true;
                return region;
            } finally {
                if (!done) {
                    descriptor.close(); // also drops the initialisation lock
                }
            }
        }
    }

    /**
     * Deletes the region file if no participant is alive.
     *
     * @return {@code false} if there was no file
     */
    static boolean delete(RegionOptions options) {
        Path file = options.file();
        long deadline = System.nanoTime() + options.openTimeout().toNanos();
        while (true) {
            RegionDescriptor descriptor = RegionDescriptor.openExisting(options);
            if (descriptor == null) {
                return false;
            }
            try {
                acquireInitLock(descriptor, deadline, options.openTimeout());
                RegionDescriptor.FileStatus status = descriptor.status();
                if (!status.isStill(file)) {
                    continue;
                }
                status.checkOwnerAndMode(options, descriptor.effectiveUid());
                FileChannel channel = descriptor.channel();
                long magic = status.size >= Long.BYTES ? readHeaderBytes(channel, Long.BYTES).getLong(0) : 0;
                if (magic == RegionLayout.MAGIC) {
                    RegionHeader header = validateHeader(readHeaderBytes(channel, RegionLayout.HEADER_FIELDS_LENGTH),
                            status.size, file);
                    ByteBuffer mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, header.size()).order(BYTE_ORDER);
                    List<Participant> live = new ArrayList<>();
                    for (int slot = 0; slot < header.slotCapacity(); slot++) {
                        if (descriptor.isLockedByOther(RegionLayout.slotOffset(slot))) {
                            live.add(readParticipant(mapping, slot, false));
                        }
                    }
                    if (!live.isEmpty()) {
                        throw new RegionInUseException("Region '" + options.name() + "' (" + file + ") was not deleted: "
                                + live.size() + " participant(s) still have it open: " + describe(live)
                                + ". Close the region in those processes (or stop them), then delete it.");
                    }
                } else if (magic != RegionLayout.INIT_MAGIC && status.size != 0) {
                    throw new RegionFormatException("Refusing to delete " + file + ": it is not a hostsync region (magic '"
                            + RegionLayout.magicText(magic) + "', expected 'HOSTSYNC'). If you are sure it is not used,"
                            + " remove it by hand.");
                }
                Files.delete(file);
                return true;
            } catch (IOException e) {
                throw new HostsyncException("Could not delete region '" + options.name() + "' (" + file + "): " + e, e);
            } finally {
                descriptor.close();
            }
        }
    }

    /** Lists the live participants, this JVM first among its slot order. */
    List<Participant> participants() {
        List<Participant> live = new ArrayList<>();
        for (int other = 0; other < header.slotCapacity(); other++) {
            if (other == slot) {
                live.add(readParticipant(buffer, other, true));
            } else if (slotState(buffer, other) == RegionLayout.SLOT_STATE_ACTIVE
                    && descriptor.isLockedByOther(RegionLayout.slotOffset(other))) {
                Participant participant = readParticipant(buffer, other, false);
                if (participant != null) {
                    live.add(participant);
                }
            }
        }
        return live;
    }

    /**
     * Tells whether the process that claimed {@code slot} as generation {@code generation} is
     * alive. The kernel decides: the slot's OFD lock is held exactly while its owner lives, and a
     * slot is claimed again only once that lock is free.
     *
     * @param slot a slot
     * @param generation the low 32 bits of the generation to check
     */
    boolean isAlive(int slot, long generation) {
        if (slot == this.slot) {
            return (this.generation & 0xFFFF_FFFFL) == generation;
        }
        long sequence = (long) LONGS.getAcquire(buffer, RegionLayout.slotOffset(slot) + RegionLayout.SLOT_GENERATION_OFFSET);
        if ((sequence & 1) != 0 || ((sequence / 2) & 0xFFFF_FFFFL) != generation) {
            return false; // claimed again (or being claimed): the owner of that generation is gone
        }
        return isSlotHeld(slot);
    }

    /** Tells whether some live process holds {@code slot}, whatever its generation. */
    boolean isSlotHeld(int slot) {
        return slot == this.slot || descriptor.isLockedByOther(RegionLayout.slotOffset(slot));
    }

    /**
     * Like {@link #isSlotHeld(int)}, but answers a slot never claimed, or left by a clean close,
     * without asking the kernel.
     */
    boolean isSlotActive(int slot) {
        return slot == this.slot || slotState(buffer, slot) == RegionLayout.SLOT_STATE_ACTIVE && isSlotHeld(slot);
    }

    /** Returns this JVM's instance of the named lock, finding or creating its record. */
    RWLock lock(String name) {
        synchronized (locks) {
            RWLock lock = locks.get(name);
            if (lock == null) {
                int index = findLock(name);
                if (index < 0) {
                    index = createLock(name);
                }
                lock = new RWLock(switch (header.backend()) {
                    case ROBUST -> new HostLock(this, index, name, RWLock.LIVENESS_NANOS);
                    case POSIX -> new PosixLock(this, index, name);
                    case FILE -> new FileLock(this, index, name);
                });
                locks.put(name, lock);
            }
            return lock;
        }
    }

    /** The {@code file} backend's byte locks: OFD locks, or channel locks on the portable layer or when asked. */
    FileLock.ByteLocks byteLocks() {
        return descriptor.byteLocks();
    }

    /**
     * Initialises the named {@code posix} lock again, for an operator, once every process that
     * held or waited for it is dead.
     */
    boolean resetLock(String name) {
        if (header.backend() != Backend.POSIX) {
            throw new IllegalStateException("Lock '" + name + "' of region '" + options.name() + "' uses the "
                    + header.backend().configName() + " backend, which frees a dead holder's share by itself: there is"
                    + " nothing to reset. Only posix locks need an operator after a crash.");
        }
        int index = findLock(name);
        if (index < 0) {
            throw new IllegalArgumentException("Region '" + options.name() + "' has no lock '" + name + "'; its locks are "
                    + lockNames());
        }
        return underInitLock(() -> PosixLock.reset(this, index, name));
    }

    /** Names of the locks in use in the region, by index. */
    List<String> lockNames() {
        List<String> names = new ArrayList<>();
        for (int index = 0; index < header.lockCapacity(); index++) {
            String name = lockName(index);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    private int findLock(String name) {
        for (int index = 0; index < header.lockCapacity(); index++) {
            if (name.equals(lockName(index))) {
                return index;
            }
        }
        return -1;
    }

    private String lockName(int index) {
        int record = (int) (header.lockTableOffset() + (long) index * header.lockStride());
        if ((int) INTS.getAcquire(buffer, record + RegionLayout.LOCK_IN_USE_OFFSET) != 1) {
            return null;
        }
        byte[] bytes = new byte[Math.min(buffer.getInt(record + RegionLayout.LOCK_NAME_LENGTH_OFFSET),
                RegionLayout.LOCK_NAME_CAPACITY)];
        buffer.get(record + RegionLayout.LOCK_NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Creates a lock record under the initialisation lock, unless another process just did. */
    private int createLock(String name) {
        return underInitLock(() -> {
            int index = findLock(name);
            if (index >= 0) {
                return index;
            }
            for (index = 0; index < header.lockCapacity(); index++) {
                if (lockName(index) == null) {
                    initialiseLockRecord(address, header, index, file);
                    writeLockName(buffer, header, index, name);
                    return index;
                }
            }
            throw new RegionFullException("Region '" + options.name() + "' (" + file + ") has no room for lock '" + name
                    + "': all " + header.lockCapacity() + " lock records are in use (" + String.join(", ", lockNames())
                    + "). Recreate the region with a larger maxLocks, or use fewer lock names.");
        });
    }

    /** Runs {@code action} holding the region's initialisation lock (byte 0), as creators and deleters do. */
    private <T> T underInitLock(java.util.function.Supplier<T> action) {
        acquireInitLock(descriptor, System.nanoTime() + options.openTimeout().toNanos(), options.openTimeout());
        try {
            return action.get();
        } finally {
            descriptor.unlock(RegionLayout.INIT_LOCK_BYTE);
        }
    }

    /** Prepares a new lock record for the region's backend (under the initialisation lock). */
    private static void initialiseLockRecord(long address, RegionHeader header, int index, Path file) {
        if (header.backend() == Backend.POSIX) {
            PosixLock.initialise(address, header, index, file);
        }
    }

    private static void writeLockName(MappedByteBuffer buffer, RegionHeader header, int index, String name) {
        int record = (int) (header.lockTableOffset() + (long) index * header.lockStride());
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        buffer.putInt(record + RegionLayout.LOCK_NAME_LENGTH_OFFSET, bytes.length);
        buffer.put(record + RegionLayout.LOCK_NAME_OFFSET, bytes);
        INTS.setRelease(buffer, record + RegionLayout.LOCK_IN_USE_OFFSET, 1);
    }

    // ---------------------------------------------------------------- directory

    SharedState state() {
        SharedState current = state;
        if (current == null) {
            synchronized (this) {
                if (state == null) {
                    state = new SharedState(this);
                }
                current = state;
            }
        }
        return current;
    }

    /**
     * Finds the entry of that name, or creates it with a zeroed block of {@code blockLength}
     * bytes. An existing entry must have the same type and parameter.
     */
    EntryInfo entry(String name, EntryType type, long parameter, long blockLength) {
        EntryInfo found = findEntry(name);
        if (found == null) {
            found = underInitLock(() -> {
                EntryInfo raced = findEntry(name);
                return raced != null ? raced : createEntry(name, type, parameter, blockLength);
            });
        }
        if (found.type() != type || found.parameter() != parameter) {
            throw new EntryMismatchException("Entry '" + name + "' of region '" + options.name() + "' exists as "
                    + describe(found.type(), found.parameter()) + ", but this process asked for " + describe(type, parameter)
                    + ". Use the same type and size everywhere, or another name.");
        }
        return found;
    }

    private static String describe(EntryType type, long parameter) {
        return switch (type) {
            case COUNTER -> "a counter";
            case LONG_ARRAY, INT_ARRAY, DOUBLE_ARRAY -> "a " + type + " of length " + parameter;
            case VALUE, MAP -> "a " + type + " of capacity " + parameter + " bytes";
            case BYTES -> "BYTES of size " + parameter;
            case SEMAPHORE -> "a semaphore of " + parameter + " permits";
        };
    }

    /** Returns the first heap byte not yet allocated: everything before it is in use. */
    long heapTop() {
        return (long) LONGS.getVolatile(buffer, RegionLayout.HEAP_TOP_OFFSET);
    }

    /** Lists the entries of the region's directory. */
    List<EntryInfo> entries() {
        List<EntryInfo> entries = new ArrayList<>();
        for (int index = 0; index < header.entryCapacity(); index++) {
            EntryInfo entry = readEntry(index);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private EntryInfo findEntry(String name) {
        for (int index = 0; index < header.entryCapacity(); index++) {
            EntryInfo entry = readEntry(index);
            if (entry != null && entry.name().equals(name)) {
                return entry;
            }
        }
        return null;
    }

    private int entryOffset(int index) {
        return (int) (header.dataOffset() + (long) index * RegionLayout.ENTRY_STRIDE);
    }

    private EntryInfo readEntry(int index) {
        int entry = entryOffset(index);
        if ((int) INTS.getAcquire(buffer, entry + RegionLayout.ENTRY_STATE_OFFSET) != 1) {
            return null;
        }
        byte[] name = new byte[Math.min(Math.max(buffer.getInt(entry + RegionLayout.ENTRY_NAME_LENGTH_OFFSET), 0),
                RegionLayout.ENTRY_NAME_CAPACITY)];
        buffer.get(entry + RegionLayout.ENTRY_NAME_OFFSET, name);
        EntryType type = EntryType.of(buffer.getInt(entry + RegionLayout.ENTRY_TYPE_OFFSET));
        long offset = buffer.getLong(entry + RegionLayout.ENTRY_BLOCK_OFFSET);
        long length = buffer.getLong(entry + RegionLayout.ENTRY_BLOCK_LENGTH_OFFSET);
        if (type == null || offset < header.heapOffset() || length < 0 || offset + length > header.size()) {
            throw corrupted(file, "has a corrupted directory entry " + index + " (type " + type + ", block " + offset
                    + "+" + length + ")");
        }
        return new EntryInfo(new String(name, StandardCharsets.UTF_8), type,
                buffer.getLong(entry + RegionLayout.ENTRY_PARAMETER_OFFSET), offset, length);
    }

    /** Called under the initialisation lock. Refuses before writing anything if there is no room. */
    private EntryInfo createEntry(String name, EntryType type, long parameter, long blockLength) {
        int free = -1;
        for (int index = 0; index < header.entryCapacity() && free < 0; index++) {
            if ((int) INTS.getAcquire(buffer, entryOffset(index) + RegionLayout.ENTRY_STATE_OFFSET) != 1) {
                free = index;
            }
        }
        if (free < 0) {
            throw new RegionFullException("Region '" + options.name() + "' (" + file + ") has no room for entry '" + name
                    + "': all " + header.entryCapacity() + " directory entries are in use. Recreate the region with a"
                    + " larger maxEntries, or use fewer names.");
        }
        long top = (long) LONGS.getVolatile(buffer, RegionLayout.HEAP_TOP_OFFSET);
        long start = (top + RegionLayout.BLOCK_ALIGNMENT - 1) / RegionLayout.BLOCK_ALIGNMENT * RegionLayout.BLOCK_ALIGNMENT;
        long length = (blockLength + RegionLayout.BLOCK_ALIGNMENT - 1) / RegionLayout.BLOCK_ALIGNMENT
                * RegionLayout.BLOCK_ALIGNMENT;
        if (start + length > header.size()) {
            throw new RegionFullException("Region '" + options.name() + "' (" + file + ") has no room for entry '" + name
                    + "' (" + describe(type, parameter) + "): it needs " + length + " bytes and " + Math.max(0,
                    header.size() - start) + " of the heap's " + (header.size() - header.heapOffset())
                    + " bytes are free. Recreate the region with a larger size, or make the entry smaller.");
        }
        int entry = entryOffset(free);
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

    /** Marks the slot free and closes the descriptor, which releases the slot's lock and the byte locks. */
    void close() {
        closed = true;
        INTS.setRelease(buffer, RegionLayout.slotOffset(slot) + RegionLayout.SLOT_STATE_OFFSET, RegionLayout.SLOT_STATE_FREE);
        descriptor.close();
    }

    /** Whether the region is closed in this JVM. */
    boolean isClosed() {
        return closed;
    }

    /**
     * Fails once the region is closed: the slot's records may then belong to another process,
     * so a lock operation must not touch them.
     */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Region '" + options.name() + "' (" + file + ") is closed: its locks can no"
                    + " longer be taken or released. Release locks before closing the region.");
        }
    }

    /** Fails unless another handle's options describe the same region as this one's. */
    void checkSameRegion(RegionOptions other) {
        checkMatches(header, other, file);
    }

    // ---------------------------------------------------------------- opening

    private static void prepareDirectory(RegionOptions options) {
        Path directory = options.directory();
        if (Files.isDirectory(directory)) {
            return;
        }
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new RegionAccessException("Region directory " + directory + " of region '" + options.name()
                    + "' is not a directory: configure a directory");
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new RegionAccessException("Region directory " + directory + " of region '" + options.name()
                    + "' does not exist and could not be created (" + e + "): create it, or configure another directory", e);
        }
    }

    private static void acquireInitLock(RegionDescriptor descriptor, long deadline, Duration timeout) {
        Path file = descriptor.file;
        long pauseNanos = 50_000;
        while (!descriptor.tryLock(RegionLayout.INIT_LOCK_BYTE)) {
            if (System.nanoTime() - deadline > 0) {
                throw new HostsyncException("Timed out after " + timeout + " waiting for the initialisation lock of " + file
                        + ": another process holds it (it is creating, validating or deleting the region). If that process"
                        + " is stuck, find it with 'lslocks' or 'fuser " + file + "' and stop it; or raise the open timeout.");
            }
            LockSupport.parkNanos(pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, 5_000_000);
        }
    }

    private static RegionFile initialiseOrValidate(RegionDescriptor descriptor, RegionDescriptor.FileStatus status,
            RegionOptions options) {
        Path file = options.file();
        try {
            FileChannel channel = descriptor.channel();
            RegionHeader header;
            boolean initialise;
            if (status.size == 0) {
                initialise = true;
            } else if (status.size < Long.BYTES) {
                throw foreign(options, status.size, "is only " + status.size + " bytes long");
            } else {
                long magic = readHeaderBytes(channel, Long.BYTES).getLong(0);
                if (magic == RegionLayout.INIT_MAGIC) {
                    initialise = true; // its creator died before finishing; we hold the lock it held
                } else if (magic == RegionLayout.MAGIC) {
                    initialise = false;
                } else {
                    throw foreign(options, status.size, "starts with '" + RegionLayout.magicText(magic) + "'");
                }
            }
            MappedByteBuffer buffer;
            if (initialise) {
                header = newHeader(options);
                buffer = initialise(descriptor, channel, header, options);
            } else {
                header = validateHeader(readHeaderBytes(channel, RegionLayout.HEADER_FIELDS_LENGTH), status.size, file);
                checkMatches(header, options, file);
                buffer = (MappedByteBuffer) channel.map(FileChannel.MapMode.READ_WRITE, 0, header.size()).order(BYTE_ORDER);
            }
            if (header.backend() == Backend.POSIX) {
                refuseOtherPidNamespaces(descriptor, buffer, header, options);
            }
            long[] generation = new long[1];
            int slot = claimSlot(descriptor, buffer, header, options, generation);
            descriptor.unlock(RegionLayout.INIT_LOCK_BYTE);
            return new RegionFile(options, descriptor, buffer, header, slot, generation[0], initialise);
        } catch (IOException e) {
            throw new HostsyncException("I/O error on region file " + file + " of region '" + options.name() + "': " + e, e);
        }
    }

    private static RegionHeader newHeader(RegionOptions options) {
        int slots = options.maxParticipants();
        int locks = options.maxLocks();
        return new RegionHeader(RegionLayout.LAYOUT_VERSION, options.size(), RegionLayout.PAGE_SIZE,
                Instant.ofEpochMilli(System.currentTimeMillis()), 0L, slots, locks, options.maxEntries(),
                RegionLayout.dataOffset(slots, locks), options.backend());
    }

    private static MappedByteBuffer initialise(RegionDescriptor descriptor, FileChannel channel, RegionHeader header,
            RegionOptions options) throws IOException {
        Path file = options.file();
        // Mark the file as a region being initialised before it grows, so that a creator dying at
        // any point leaves either an empty file or one marked HOSTINIT, both of which are redone.
        channel.truncate(0);
        channel.write(ByteBuffer.allocate(Long.BYTES).order(BYTE_ORDER).putLong(0, RegionLayout.INIT_MAGIC), 0);
        boolean allocated = false;
        try {
            descriptor.allocate(header.size(), options);
            allocated = true;
        } finally {
            if (!allocated) {
                removeUnfinished(file);
            }
        }
        MappedByteBuffer buffer = (MappedByteBuffer) channel.map(FileChannel.MapMode.READ_WRITE, 0, header.size())
                .order(BYTE_ORDER);
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
        initialiseLockRecord(descriptor.address(buffer), header, 0, file);
        writeLockName(buffer, header, 0, RegionLayout.DEFAULT_LOCK_NAME);
        LONGS.setRelease(buffer, RegionLayout.MAGIC_OFFSET, RegionLayout.MAGIC);
        if (!RegionDescriptor.FileStatus.isMemoryBacked(options.directory())) {
            buffer.force(); // a persistent region's header reaches the disk before anyone relies on it
        }
        return buffer;
    }

    private static void removeUnfinished(Path file) {
        try {
            Files.deleteIfExists(file); // we hold the initialisation lock: nobody else uses it
        } catch (IOException ignored) {
            // the next opener finds it empty or marked HOSTINIT and initialises it again
        }
    }

    private static ByteBuffer readHeaderBytes(FileChannel channel, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length).order(BYTE_ORDER);
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
            // keep reading: positional reads of a regular file may return fewer bytes
        }
        return bytes;
    }

    private static RegionFormatException foreign(RegionOptions options, long size, String finding) {
        return new RegionFormatException("File " + options.file() + " (" + size + " bytes) is not a hostsync region: it " + finding
                + " where a region starts with 'HOSTSYNC'. Another program may use this name: remove or move the file if it"
                + " is not needed, or choose another region name or directory.");
    }

    private static RegionHeader validateHeader(ByteBuffer bytes, long fileSize, Path file) {
        int version = bytes.getInt(RegionLayout.LAYOUT_VERSION_OFFSET);
        if (version > RegionLayout.LAYOUT_VERSION) {
            throw new RegionFormatException("Region file " + file + " has layout version " + version + ", written by a newer"
                    + " hostsync; this library reads layout version " + RegionLayout.LAYOUT_VERSION + " only. Upgrade hostsync"
                    + " in this application to the version the other applications use, or use another region name.");
        }
        if (fileSize < RegionLayout.PAGE_SIZE) {
            throw corrupted(file, "is " + fileSize + " bytes long, shorter than a region header (" + RegionLayout.PAGE_SIZE
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
        boolean locksValid = lockCapacity >= RegionLayout.MIN_LOCK_CAPACITY && lockCapacity <= RegionLayout.MAX_LOCK_CAPACITY
                && capacity >= RegionLayout.MIN_SLOT_CAPACITY && capacity <= RegionLayout.MAX_SLOT_CAPACITY
                && bytes.getInt(RegionLayout.LOCK_STRIDE_OFFSET) == RegionLayout.lockStride(capacity)
                && bytes.getLong(RegionLayout.LOCK_TABLE_OFFSET_OFFSET) == RegionLayout.lockTableOffset(capacity)
                && bytes.getLong(RegionLayout.HOLDER_TABLE_OFFSET_OFFSET) == RegionLayout.holderTableOffset(capacity, lockCapacity)
                && bytes.getInt(RegionLayout.HOLDER_ROW_STRIDE_OFFSET) == RegionLayout.holderRowStride(lockCapacity)
                && entryCapacity >= RegionLayout.MIN_ENTRY_CAPACITY && entryCapacity <= RegionLayout.MAX_ENTRY_CAPACITY
                && bytes.getLong(RegionLayout.HEAP_OFFSET_OFFSET)
                        == RegionLayout.heapOffset(capacity, lockCapacity, entryCapacity)
                && heapTop >= bytes.getLong(RegionLayout.HEAP_OFFSET_OFFSET) && heapTop <= size;
        if (version < 1 || !locksValid
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

    private static RegionFormatException corrupted(Path file, String finding) {
        return new RegionFormatException("Region file " + file + " " + finding + ". It cannot be used safely: stop the"
                + " processes that use it, delete the file, and let hostsync create it again.");
    }

    private static void checkMatches(RegionHeader header, RegionOptions options, Path file) {
        if (header.backend() != options.backend()) {
            throw new RegionMismatchException("Region '" + options.name() + "' (" + file + ") exists with lock backend "
                    + header.backend().configName() + ", but this process asked for " + options.backend().configName()
                    + ". Processes using different backends would not exclude each other, so every process must use the"
                    + " same: configure backend " + header.backend().configName() + ", or delete the region while no"
                    + " process uses it so that it is created again with the new backend.");
        }
        if (header.size() != options.size()) {
            throw new RegionMismatchException("Region '" + options.name() + "' (" + file + ") exists with size " + header.size()
                    + " bytes, but this process asked for " + options.size() + " bytes. Every process must open a region"
                    + " with the same size: configure size " + header.size() + ", or delete the region while no process"
                    + " uses it so that it is created again with the new size.");
        }
        if (header.slotCapacity() != options.maxParticipants()) {
            throw new RegionMismatchException("Region '" + options.name() + "' (" + file + ") exists with "
                    + header.slotCapacity() + " participant slots, but this process asked for " + options.maxParticipants()
                    + ". Every process must open a region with the same maxParticipants: configure "
                    + header.slotCapacity() + ", or delete the region while no process uses it.");
        }
        if (header.entryCapacity() != options.maxEntries()) {
            throw new RegionMismatchException("Region '" + options.name() + "' (" + file + ") exists with room for "
                    + header.entryCapacity() + " entries, but this process asked for " + options.maxEntries()
                    + ". Every process must open a region with the same maxEntries: configure "
                    + header.entryCapacity() + ", or delete the region while no process uses it.");
        }
        if (header.lockCapacity() != options.maxLocks()) {
            throw new RegionMismatchException("Region '" + options.name() + "' (" + file + ") exists with room for "
                    + header.lockCapacity() + " locks, but this process asked for " + options.maxLocks()
                    + ". Every process must open a region with the same maxLocks: configure "
                    + header.lockCapacity() + ", or delete the region while no process uses it.");
        }
    }

    // ---------------------------------------------------------------- slots

    private static int claimSlot(RegionDescriptor descriptor, MappedByteBuffer buffer, RegionHeader header,
            RegionOptions options, long[] generation) {
        for (int slot = 0; slot < header.slotCapacity(); slot++) {
            if (descriptor.tryLock(RegionLayout.slotOffset(slot))) {
                for (int lock = 0; lock < header.lockCapacity(); lock++) {
                    if (header.backend() == Backend.POSIX) {
                        PosixLock.noteDeadSlot(buffer, header, lock, slot); // its holds stay in glibc's lock
                    } else if (header.backend() == Backend.FILE) {
                        FileLock.noteDeadSlot(buffer, header, lock, slot);
                    }
                    HostLock.reclaimSlot(buffer, header, lock, slot); // release what a dead predecessor held
                }
                reclaimSemaphores(buffer, header, slot, options.file());
                generation[0] = writeSlot(buffer, slot);
                return slot;
            }
        }
        throw new RegionFullException("All " + header.slotCapacity() + " participant slots of region '" + options.name()
                + "' (" + options.file() + ") are held by live processes. Close the region in processes that no longer"
                + " need it, or recreate the region with a larger maxParticipants.");
    }

    /**
     * A {@code pthread_rwlock_t} records its writer by thread id, and thread ids of different PID
     * namespaces collide: a posix region is refused to a process whose PID namespace differs
     * from a live participant's.
     */
    private static void refuseOtherPidNamespaces(RegionDescriptor descriptor, MappedByteBuffer buffer,
            RegionHeader header, RegionOptions options) {
        long mine = ProcessIdentity.current().pidNamespace();
        for (int slot = 0; slot < header.slotCapacity(); slot++) {
            if (slotState(buffer, slot) != RegionLayout.SLOT_STATE_ACTIVE
                    || !descriptor.isLockedByOther(RegionLayout.slotOffset(slot))) {
                continue;
            }
            long theirs = buffer.getLong(RegionLayout.slotOffset(slot) + RegionLayout.SLOT_PID_NAMESPACE_OFFSET);
            if (theirs != mine) {
                long pid = buffer.getLong(RegionLayout.slotOffset(slot) + RegionLayout.SLOT_PID_OFFSET);
                throw new BackendRefusedException("Region '" + options.name() + "' (" + options.file() + ") uses the posix"
                        + " lock backend, which cannot work across PID namespaces: participant slot " + slot + " (pid " + pid
                        + ") is in PID namespace " + describeNamespace(theirs) + " and this process in "
                        + describeNamespace(mine) + ". A pthread_rwlock records its writer by thread id, and thread ids"
                        + " collide between namespaces (containers), so it would fail with false EDEADLK or release another"
                        + " process's lock. Use backend robust (the default), which works across containers, or run every"
                        + " process in one PID namespace (docker run --pid=host, or shareProcessNamespace in Kubernetes).");
            }
        }
    }

    private static String describeNamespace(long inode) {
        return inode == 0 ? "unknown (no /proc/self/ns/pid)" : "pid:[" + inode + "]";
    }

    private static void reclaimSemaphores(MappedByteBuffer buffer, RegionHeader header, int slot, Path file) {
        for (int index = 0; index < header.entryCapacity(); index++) {
            int entry = (int) (header.dataOffset() + (long) index * RegionLayout.ENTRY_STRIDE);
            if ((int) INTS.getAcquire(buffer, entry + RegionLayout.ENTRY_STATE_OFFSET) == 1
                    && buffer.getInt(entry + RegionLayout.ENTRY_TYPE_OFFSET) == EntryType.SEMAPHORE.code()) {
                long block = buffer.getLong(entry + RegionLayout.ENTRY_BLOCK_OFFSET);
                if (block <= 0 || block + SharedSemaphore.blockLength(header.slotCapacity()) > header.size()) {
                    throw corrupted(file, "has a corrupted directory entry " + index);
                }
                SharedSemaphore.reclaimSlot(buffer, new EntryInfo("", EntryType.SEMAPHORE, 0, block, 0), slot);
            }
        }
    }

    /**
     * Writes this process's record into a slot whose OFD lock it holds. The slot's sequence is
     * odd while the record is written and even when it is complete (a seqlock), so that readers
     * never take a half-written record for a whole one.
     */
    private static long writeSlot(MappedByteBuffer buffer, int slot) {
        int base = RegionLayout.slotOffset(slot);
        long sequence = (long) LONGS.getAcquire(buffer, base + RegionLayout.SLOT_GENERATION_OFFSET);
        long writing = sequence + 1 + (sequence & 1); // the next odd value, even if a previous owner died writing
        INTS.setRelease(buffer, base + RegionLayout.SLOT_STATE_OFFSET, RegionLayout.SLOT_STATE_FREE);
        LONGS.setRelease(buffer, base + RegionLayout.SLOT_GENERATION_OFFSET, writing);
        VarHandle.storeStoreFence();
        ProcessIdentity self = ProcessIdentity.current();
        buffer.putLong(base + RegionLayout.SLOT_PID_OFFSET, self.pid());
        buffer.putLong(base + RegionLayout.SLOT_SINCE_OFFSET, System.currentTimeMillis());
        buffer.putLong(base + RegionLayout.SLOT_PID_NAMESPACE_OFFSET, self.pidNamespace());
        byte[] host = truncateUtf8(self.host(), RegionLayout.HOST_NAME_CAPACITY);
        buffer.putInt(base + RegionLayout.SLOT_HOST_LENGTH_OFFSET, host.length);
        buffer.put(base + RegionLayout.SLOT_HOST_OFFSET, host);
        INTS.setRelease(buffer, base + RegionLayout.SLOT_STATE_OFFSET, RegionLayout.SLOT_STATE_ACTIVE);
        LONGS.setRelease(buffer, base + RegionLayout.SLOT_GENERATION_OFFSET, writing + 1);
        return (writing + 1) / 2;
    }

    private static int slotState(ByteBuffer buffer, int slot) {
        return (int) INTS.getAcquire(buffer, RegionLayout.slotOffset(slot) + RegionLayout.SLOT_STATE_OFFSET);
    }

    /** Reads a slot record consistently, or returns null if its owner keeps rewriting it. */
    private static Participant readParticipant(ByteBuffer buffer, int slot, boolean self) {
        int base = RegionLayout.slotOffset(slot);
        for (int attempt = 0; attempt < SLOT_READ_ATTEMPTS; attempt++) {
            long before = (long) LONGS.getAcquire(buffer, base + RegionLayout.SLOT_GENERATION_OFFSET);
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long pid = buffer.getLong(base + RegionLayout.SLOT_PID_OFFSET);
            long since = buffer.getLong(base + RegionLayout.SLOT_SINCE_OFFSET);
            long namespace = buffer.getLong(base + RegionLayout.SLOT_PID_NAMESPACE_OFFSET);
            int hostLength = Math.max(0, Math.min(buffer.getInt(base + RegionLayout.SLOT_HOST_LENGTH_OFFSET),
                    RegionLayout.HOST_NAME_CAPACITY));
            byte[] host = new byte[hostLength];
            buffer.get(base + RegionLayout.SLOT_HOST_OFFSET, host);
            VarHandle.acquireFence();
            long after = (long) LONGS.getVolatile(buffer, base + RegionLayout.SLOT_GENERATION_OFFSET);
            if (before == after) {
                return new Participant(slot, before / 2, pid, Instant.ofEpochMilli(since),
                        new String(host, StandardCharsets.UTF_8), namespace, self);
            }
        }
        return null;
    }

    private static byte[] truncateUtf8(String text, int capacity) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= capacity) {
            return bytes;
        }
        int length = capacity;
        while (length > 0 && (bytes[length] & 0xC0) == 0x80) {
            length--; // do not cut a character in two
        }
        return java.util.Arrays.copyOf(bytes, length);
    }

    static String describe(List<Participant> participants) {
        return participants.stream()
                .map(p -> "slot " + p.slot() + " (pid " + p.pid() + " on " + p.host() + " since " + p.since() + ")")
                .collect(Collectors.joining(", "));
    }
}

package io.hostsync;

import io.hostsync.internal.lock.HostMutex;
import io.hostsync.internal.lock.LockBackends;
import io.hostsync.internal.lock.LockFamily;
import io.hostsync.internal.lock.RegionInspector;
import io.hostsync.internal.os.Platform;
import io.hostsync.internal.os.RegionDescriptor;
import io.hostsync.internal.region.KeyedName;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.region.RegionHooks;
import io.hostsync.internal.region.RegionLayout;
import io.hostsync.internal.region.RegionMutex;
import io.hostsync.state.SharedState;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A named region of shared memory that every process on the host can open: a file in
 * {@code /dev/shm} (or in a directory, to keep it across reboots), mapped into memory, with a
 * validated header and a table of live participants. The locks and shared state of later
 * layers live in it.
 *
 * <p>Opening is race-free: processes that open the same new name at the same instant end with
 * one region, initialised once. Each JVM that has the region open holds one process slot, and
 * an OFD lock on that slot's byte for as long as the region is open; the kernel releases it
 * when the process dies, however it dies, so a survivor can tell exactly who is alive,
 * whatever PID namespace each process runs in.
 *
 * <p>Every {@code SharedRegion} of the same file in one JVM shares one mapping and one slot;
 * the slot is released when the last of them is closed. Instances are thread-safe.
 *
 * <pre>{@code
 * try (SharedRegion region = SharedRegion.open(RegionOptions.builder("orders").build())) {
 *     region.participants().forEach(System.out::println);
 * }
 * }</pre>
 */
public final class SharedRegion implements AutoCloseable {

    /** The region files this JVM has open, by path; guarded by itself. */
    private static final Map<Path, OpenRegion> OPEN = new HashMap<>();

    /** What the lock backends and the shared state do when a lock record is created or a slot claimed. */
    private static final RegionHooks HOOKS = new RegionHooks() {
        @Override
        public RegionMutex mutex(RegionFile region, int base, String description) {
            return new HostMutex(region, base, description);
        }

        @Override
        public void initialiseLock(long address, RegionHeader header, int index, Path file) {
            LockBackends.initialiseRecord(address, header, index, file);
        }

        @Override
        public boolean isLockIdle(RegionFile region, int index) {
            return LockBackends.isIdle(region, index);
        }

        @Override
        public boolean isLockTorn(ByteBuffer buffer, RegionHeader header, int index) {
            return LockBackends.isTorn(buffer, header, index);
        }

        @Override
        public void reclaimSlot(MappedByteBuffer buffer, RegionHeader header, int slot, Path file) {
            LockBackends.reclaimSlot(buffer, header, slot);
            SharedState.reclaimSlot(buffer, header, slot, file);
        }
    };

    private final OpenRegion open;
    private final RegionFile region;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SharedRegion(OpenRegion open) {
        this.open = open;
        this.region = open.file;
    }

    /**
     * Creates the region if it does not exist, or opens and validates it if it does, and claims a
     * process slot for this JVM.
     *
     * @param options the region's name, directory, size and access rules
     * @return an open region
     * @throws RegionMismatchException if the region exists with another size or slot count
     * @throws RegionFormatException if the file is foreign, truncated or of a newer layout
     * @throws RegionAccessException if the file is a symbolic link, has the wrong owner or looser
     *     permissions than configured, or the directory cannot be used
     * @throws RegionSpaceException if there is not enough space to create it
     * @throws RegionFullException if every process slot is held by a live process
     * @throws RegionLostException if this JVM has the region open already and has lost it (see
     *     {@link #failure()}): close every handle of it first
     */
    public static SharedRegion open(RegionOptions options) {
        synchronized (OPEN) {
            OpenRegion existing = OPEN.get(options.file());
            if (existing != null) {
                existing.file.ensureOpen(); // a lost region is not handed out again: its handles must all close first
                existing.file.checkSameRegion(options);
                existing.handles++;
                return new SharedRegion(existing);
            }
            OpenRegion opened = new OpenRegion(RegionFile.open(options, HOOKS));
            OPEN.put(options.file(), opened);
            return new SharedRegion(opened);
        }
    }

    /**
     * Deletes a region's file, if no process (this one included) has it open.
     *
     * @param options the region's name and directory (its size is not checked)
     * @return {@code true} if a file was deleted, {@code false} if there was none
     * @throws RegionInUseException if a live process has the region open
     * @throws RegionFormatException if the file is not a hostsync region
     */
    public static boolean delete(RegionOptions options) {
        synchronized (OPEN) {
            if (OPEN.containsKey(options.file())) {
                throw new RegionInUseException(
                        "Region '" + options.name() + "' (" + options.file() + ") was not deleted:"
                                + " this process still has it open. Close every SharedRegion of it first.");
            }
            return RegionFile.delete(options);
        }
    }

    /**
     * Checks a region file without joining it: no slot is claimed and no lock taken, the file is
     * mapped read-only, and each slot's liveness is the kernel's answer for its byte lock. Reports
     * the header, the participants (alive or dead), the locks with their holders and waiters, the
     * entries, and every structural problem, with the checks the library applies when it uses the
     * region. The {@code inspect} command ({@link Inspect}) prints this report.
     *
     * @param file the region file, such as {@code /dev/shm/hostsync-orders}
     * @return what was found; {@link RegionReport#healthy()} if nothing is wrong
     * @throws RegionAccessException if there is no such file or it cannot be opened
     * @throws IllegalStateException on the portable layer, if this process has the region open
     *     (opening the file a second time would drop this process's locks on it)
     */
    public static RegionReport verify(Path file) {
        synchronized (OPEN) {
            Path target = file.toAbsolutePath().normalize();
            if (Platform.portable()
                    && OPEN.keySet().stream().anyMatch(open -> open.toAbsolutePath().normalize().equals(target))) {
                throw new IllegalStateException("Cannot verify " + file + " from this process: it has the region open,"
                        + " and on the portable region layer a second open of the file would drop this process's locks"
                        + " on it. Run the check from another process (the inspect command).");
            }
            return RegionInspector.inspect(file);
        }
    }

    /** @return the region name */
    public String name() {
        return region.options.name();
    }

    /** @return the region file */
    public Path file() {
        return region.file;
    }

    /** @return the region size in bytes */
    public long size() {
        return region.header.size();
    }

    /** @return the validated header */
    public RegionHeader header() {
        return region.header;
    }

    /** @return the options this region was opened with */
    public RegionOptions options() {
        return region.options;
    }

    /** @return the process slot this JVM holds */
    public int slot() {
        return region.slot;
    }

    /** @return how many times this JVM's slot had been claimed, this claim included */
    public long generation() {
        return region.generation;
    }

    /** @return whether this JVM initialised the region (rather than finding it initialised) */
    public boolean createdByThisProcess() {
        return region.created;
    }

    /**
     * Lists the processes that have the region open now, this one included. Liveness comes from
     * the kernel (each participant's OFD lock), not from timestamps or pids.
     *
     * @return the live participants, by slot
     * @throws IllegalStateException if this region is closed
     */
    public List<Participant> participants() {
        ensureOpen();
        return region.slots.participants();
    }

    /**
     * Returns the region's default lock, which every region has.
     *
     * @return the lock named {@value RegionLayout#DEFAULT_LOCK_NAME}
     * @throws IllegalStateException if this region is closed
     */
    public RWLock lock() {
        return lock(Names.DEFAULT_LOCK);
    }

    /**
     * Returns a named lock, creating its record in the region if no process has yet. Every call
     * for the same name in this JVM returns the same instance.
     *
     * @param name 1 to {@value Names#MAX_LOCK_LENGTH} characters of {@value Names#CHARACTERS}
     * @return the lock
     * @throws IllegalArgumentException if the name is not allowed
     * @throws RegionFullException if the region has no room for another lock
     */
    public RWLock lock(String name) {
        ensureOpen();
        return open.lock(Names.requireLockName(name, name()));
    }

    /**
     * Returns the lock of one key of a family, such as the lock of order 42 among the locks
     * {@code "orders"}: any number of keys, each with its own host-wide {@link RWLock}. A key's
     * lock takes one of the region's lock records only while some thread of some process holds
     * or waits for it (killed processes included, until their death is confirmed), so the
     * region's {@code maxLocks} bounds the keys in use at once, not the keys ever used. A record
     * whose writer died holding it stays (the lock {@linkplain RWLock#isPossiblyTorn() possibly
     * torn}) until a writer of that key calls {@link RWLock#markConsistent()}.
     *
     * <p>A key is its bytes: a {@code byte[]} as is, any other object as the UTF-8 bytes of its
     * {@code toString()} (so the key {@code 42} and the key {@code "42"} are the same), of any
     * length. A key that fits the record's {@value Names#MAX_LOCK_LENGTH} bytes with the family
     * name and a separator is stored whole and compared byte for byte, so different such keys never
     * share a lock. A longer key is stored as its SHA-256 digest (with the family): two long keys
     * would share one lock only if their digests were equal, which nobody knows how to bring about,
     * and sharing would mean more exclusion, never less. Such a lock is named
     * {@code family[sha-256:...]}, by the digest's hex digits.
     *
     * <p>In this JVM, the same instance is returned for a key as long as some thread refers to
     * it; hold on to the lock (or its {@code readLock()}/{@code writeLock()}) until you have
     * released it. Keyed locks need the {@code robust} or {@code file} backend.
     *
     * <pre>{@code
     * RWLock order = region.lock("orders", orderId);
     * order.writeLock().lock();
     * try { ... } finally { order.writeLock().unlock(); }
     * }</pre>
     *
     * @param family the family's name: 1 to {@value Names#MAX_LOCK_LENGTH} characters of
     *     {@value Names#CHARACTERS}; a family and a named lock of the same name are different locks
     * @param key the key: a {@code byte[]}, or any object whose {@code toString()} identifies it
     * @return the key's lock, named {@code family['key']}
     * @throws IllegalArgumentException if the family name is not allowed or the key is null
     * @throws BackendRefusedException if the region uses the {@code posix} backend
     * @throws RegionFullException when acquiring, if every lock record is in use at that moment
     */
    public RWLock lock(String family, Object key) {
        ensureOpen();
        Names.requireLockName(family, name());
        if (key == null) {
            throw new IllegalArgumentException("The key of keyed lock '" + family + "' in region '" + name()
                    + "' is null: give the object whose lock you want, such as an order id");
        }
        byte[] bytes = key instanceof byte[] raw ? raw.clone() : key.toString().getBytes(StandardCharsets.UTF_8);
        return open.keyedLock(KeyedName.of(family, bytes));
    }

    /**
     * Initialises a {@code posix} lock again after a process died holding or waiting for it (see
     * {@link LockHolderDiedException}): the operator's way out, since a {@code pthread_rwlock_t}
     * cannot be released for a dead process. Refused while a live process holds or waits for
     * the lock. If the dead process was writing, the lock is then
     * {@linkplain RWLock#isPossiblyTorn() possibly torn} until a writer marks it consistent.
     *
     * @param name the lock's name
     * @return {@code true} if a dead holder's share was discarded, {@code false} if the lock was
     *     already free of dead holders (it is initialised again all the same)
     * @throws IllegalStateException if the region's backend is not {@code posix} (the others
     *     recover by themselves), or this region is closed
     * @throws IllegalArgumentException if the region has no such lock
     * @throws RegionInUseException if a live process holds or waits for the lock
     */
    public boolean resetLock(String name) {
        ensureOpen();
        return LockBackends.reset(region, Names.requireLockName(name, name()));
    }

    /**
     * Returns the data side of the region: named counters, arrays, values, semaphores and maps.
     *
     * @return this JVM's state of the region
     * @throws IllegalStateException if this region is closed
     */
    public SharedState state() {
        ensureOpen();
        return open.state();
    }

    /**
     * Returns the bytes in use: the header and tables, the directory, and the heap up to its top.
     *
     * @return bytes in use, at most {@link #size()}
     */
    public long usedBytes() {
        ensureOpen();
        return region.directory.heapTop();
    }

    /**
     * Lists the keyed locks ({@link #lock(String, Object)}) of every process that have a lock
     * record now: held, waited for, or not reclaimed yet. Each names its family and key (or the
     * key's digest, for a key too long to be stored whole), the pins of live processes' holds and
     * waits, the writer, and who holds and waits. Read from the region, so it shows the whole host.
     *
     * @return the keyed locks, in record order
     */
    public List<RegionReport.KeyedLockReport> keyedLocks() {
        ensureOpen();
        boolean[] alive = new boolean[region.header.slotCapacity()];
        for (int slot = 0; slot < alive.length; slot++) {
            alive[slot] = region.slots.isSlotActive(slot);
        }
        return RegionInspector.keyedLocks(region.buffer, region.header, region.file, alive);
    }

    /** @return the names of the locks that exist in the region, the default one first */
    public List<String> lockNames() {
        ensureOpen();
        return region.locks.names();
    }

    /**
     * Tells whether this JVM has lost the region: its file was removed, replaced (renamed over,
     * restored from a copy) or truncated while in use, which a watchdog thread notices within a
     * second. From then on this process no longer shares the region with the processes that open
     * its path, so every lock and state operation on it throws {@link RegionLostException}; the
     * loss is also logged once as an error. Health checks report it.
     *
     * @return what happened and what to do (the message of those exceptions), or empty while the region is sound
     */
    public Optional<String> failure() {
        return region.failure();
    }

    /** @return whether {@link #close()} has been called on this instance */
    public boolean isClosed() {
        return closed.get();
    }

    /** The region file's descriptor: which region layer this JVM uses (for tests). */
    RegionDescriptor descriptor() {
        return region.descriptor;
    }

    /** The mapped memory, for the layers built on the region. */
    MappedByteBuffer buffer() {
        ensureOpen();
        return region.buffer;
    }

    /**
     * Closes this handle. When the last handle of the file in this JVM closes, the region's locks
     * refuse new acquisitions and their waiters give up ({@link IllegalStateException}); the
     * process slot is released once no thread of this JVM holds one of its locks, waiting up to
     * 2 s for that here (a hold that lasts longer keeps the slot until it is released, and a
     * warning is logged). Idempotent. The mapping itself is released by the garbage collector, so a
     * stray access after close never faults.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (OPEN) {
                if (--open.handles == 0) {
                    OPEN.remove(region.file);
                    region.close();
                }
            }
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("Region '" + name() + "' (" + file() + ") is closed: open it again");
        }
    }

    @Override
    public String toString() {
        return "SharedRegion[" + name() + ", file=" + file() + ", size=" + size() + ", slot=" + slot()
                + (isClosed() ? ", closed" : "") + "]";
    }

    /** A weak reference to a keyed lock that knows its key, so that its entry can be removed once it is collected. */
    private static final class KeyedReference extends WeakReference<RWLock> {
        final KeyedName key;

        KeyedReference(KeyedName key, RWLock lock, ReferenceQueue<RWLock> queue) {
            super(lock, queue);
            this.key = key;
        }
    }

    /** A region file open in this JVM, and what every handle of it shares: the count of handles, the locks, the state. */
    private static final class OpenRegion {
        final RegionFile file;
        /** Number of open handles; guarded by {@link #OPEN}. */
        int handles = 1;
        /** The locks this JVM has asked for, by name; guarded by itself. */
        private final Map<String, RWLock> locks = new HashMap<>();
        /** The keyed lock families this JVM has used, by name; guarded by {@link #keyedLocks}. */
        private final Map<String, LockFamily> families = new HashMap<>();
        /** The keyed locks threads of this JVM refer to, by key; guarded by itself. */
        private final Map<KeyedName, KeyedReference> keyedLocks = new HashMap<>();
        /** Where the garbage collector puts the references of keyed locks nobody refers to any more. */
        private final ReferenceQueue<RWLock> collected = new ReferenceQueue<>();
        private volatile @Nullable SharedState state;

        OpenRegion(RegionFile file) {
            this.file = file;
        }

        RWLock lock(String name) {
            synchronized (locks) {
                return locks.computeIfAbsent(name, key -> new RWLock(LockBackends.open(file, key)));
            }
        }

        /**
         * The keyed lock of a key: the instance some thread of this JVM still refers to, if any,
         * so that a thread holding it re-enters it instead of waiting for itself.
         */
        RWLock keyedLock(KeyedName key) {
            synchronized (keyedLocks) {
                for (Reference<? extends RWLock> gone; (gone = collected.poll()) != null;) {
                    KeyedReference reference = (KeyedReference) gone;
                    keyedLocks.remove(reference.key, reference);
                }
                KeyedReference existing = keyedLocks.get(key);
                RWLock lock = existing == null ? null : existing.get();
                if (lock == null) {
                    LockFamily family = families.computeIfAbsent(key.family(), name -> new LockFamily(file, name));
                    lock = new RWLock(family.open(key));
                    keyedLocks.put(key, new KeyedReference(key, lock, collected));
                }
                return lock;
            }
        }

        SharedState state() {
            SharedState current = state;
            if (current == null) {
                synchronized (this) {
                    if (state == null) {
                        state = new SharedState(file, this::lock);
                    }
                    current = state;
                }
            }
            return current;
        }
    }
}

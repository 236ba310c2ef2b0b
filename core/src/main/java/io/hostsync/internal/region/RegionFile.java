package io.hostsync.internal.region;

import static io.hostsync.internal.region.RegionLayout.BYTE_ORDER;
import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.Backend;
import io.hostsync.BackendRefusedException;
import io.hostsync.HostsyncException;
import io.hostsync.Participant;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionFormatException;
import io.hostsync.RegionHeader;
import io.hostsync.RegionInUseException;
import io.hostsync.RegionLostException;
import io.hostsync.RegionOptions;
import io.hostsync.internal.os.FileStatus;
import io.hostsync.internal.os.Platform;
import io.hostsync.internal.os.Posix;
import io.hostsync.internal.os.RegionDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One region file opened by this JVM: its lifecycle (create or validate, claim a slot, close),
 * its descriptor (which owns the slot's lock), its mapping and validated header, and the parts
 * of its layout, each with a class of its own: the {@link SlotTable}, the {@link LockTable} and
 * the {@link Directory}. Shared by every {@code SharedRegion} handle of the same file in the
 * JVM, so the whole JVM is one participant.
 *
 * <p>About 440 lines: the lifecycle is one piece (create or validate under the initialisation lock,
 * claim a slot, lose, close), since each step is ordered with the others; the parts of the layout
 * live in their own classes.
 */
public final class RegionFile {

    /** How long {@link #close()} waits for this JVM's lock holds and acquisitions to end. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /** The options it was opened with. */
    public final RegionOptions options;
    /** The region file. */
    public final Path file;
    /** The mapping of the whole file. */
    public final MappedByteBuffer buffer;
    /** The validated header. */
    public final RegionHeader header;
    /** The slot this JVM claimed. */
    public final int slot;
    /** The generation of this JVM's claim of its slot. */
    public final long generation;
    /** Whether this JVM created (or re-initialised) the file. */
    public final boolean created;
    /** Native address of the mapping's first byte, for futex calls (0 on the portable layer). */
    public final long address;
    /** The open file: the region layer this JVM uses. */
    public final RegionDescriptor descriptor;
    /** The participants. */
    public final SlotTable slots;
    /** The named lock records. */
    public final LockTable locks;
    /** The named entries and their heap. */
    public final Directory directory;

    /**
     * Orders {@link #close()} with this JVM's lock operations (the slot is released only once no
     * thread acquires or holds a lock of the region), and holds whether the region is lost: one
     * volatile read tells every lock and state operation whether it may go on.
     */
    public final CloseGate gate;
    /** Makes the threads of this JVM take turns on the initialisation lock (see {@link #underInitLock}). */
    private final ReentrantLock initLockInJvm = new ReentrantLock();

    private final RegionHooks hooks;

    private RegionFile(RegionOptions options, RegionDescriptor descriptor, MappedByteBuffer buffer, RegionHeader header,
            int slot, long generation, boolean created, RegionHooks hooks) {
        this.options = options;
        this.file = options.file();
        this.descriptor = descriptor;
        this.buffer = buffer;
        this.header = header;
        this.slot = slot;
        this.generation = generation;
        this.created = created;
        this.address = descriptor.address(buffer);
        this.hooks = hooks;
        this.slots = new SlotTable(this, descriptor, buffer, header, slot, generation);
        this.locks = new LockTable(this);
        this.directory = new Directory(this);
        this.gate = new CloseGate(options.name(), file, this::releaseSlot);
        RegionWatchdog.watch(this);
    }

    /**
     * Creates or opens the region file, validates it and claims a process slot.
     *
     * @param options the region's options
     * @param hooks what the lock and state layers do when a lock record is created or a slot claimed
     * @return the open region
     */
    public static RegionFile open(RegionOptions options, RegionHooks hooks) {
        if (options.backend() == Backend.POSIX) {
            String reason = Platform.portable() ? "it needs the native Linux region layer, and this process uses the"
                    + " portable one (" + Platform.portableReason() + ")" : Posix.unsupportedReason();
            if (reason != null) {
                throw new BackendRefusedException(
                        "Region '" + options.name() + "' cannot use the posix lock backend here: "
                                + reason + ". Use backend robust (crash-safe, the default on Linux) or file.",
                        options.name(),
                        options.file(), Backend.POSIX);
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
                FileStatus status = descriptor.status();
                if (!status.isStill(options.file())) {
                    continue; // deleted or replaced between open and lock: start again on the current file
                }
                if (created[0]) {
                    descriptor.setMode(options.fileMode()); // creation applied the umask
                    status = descriptor.status();
                }
                status.checkOwnerAndMode(options, descriptor.effectiveUid());
                RegionFile region = initialiseOrValidate(descriptor, status, options, hooks);
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
     * @param options the region's options
     * @return {@code false} if there was no file
     */
    public static boolean delete(RegionOptions options) {
        Path file = options.file();
        long deadline = System.nanoTime() + options.openTimeout().toNanos();
        while (true) {
            RegionDescriptor descriptor = RegionDescriptor.openExisting(options);
            if (descriptor == null) {
                return false;
            }
            try {
                acquireInitLock(descriptor, deadline, options.openTimeout());
                FileStatus status = descriptor.status();
                if (!status.isStill(file)) {
                    continue;
                }
                status.checkOwnerAndMode(options, descriptor.effectiveUid());
                FileChannel channel = descriptor.channel();
                long magic = status.size >= Long.BYTES ? HeaderFormat.readHeaderBytes(channel, Long.BYTES).getLong(0)
                        : 0;
                if (magic == RegionLayout.MAGIC) {
                    RegionHeader header = HeaderFormat.validate(
                            HeaderFormat.readHeaderBytes(channel, RegionLayout.HEADER_FIELDS_LENGTH),
                            status.size, file);
                    ByteBuffer mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, header.size()).order(BYTE_ORDER);
                    // A slot whose record is being rewritten reads as null: it still counts, undescribed.
                    List<Participant> live = new ArrayList<>();
                    int inUse = 0;
                    for (int slot = 0; slot < header.slotCapacity(); slot++) {
                        if (descriptor.isLockedByOther(RegionLayout.slotOffset(slot))) {
                            inUse++;
                            Participant participant = SlotTable.readParticipant(mapping, slot, false);
                            if (participant != null) {
                                live.add(participant);
                            }
                        }
                    }
                    if (inUse > 0) {
                        throw new RegionInUseException(
                                "Region '" + options.name() + "' (" + file + ") was not deleted: "
                                        + inUse + " participant(s) still have it open"
                                        + (live.isEmpty() ? "" : ": " + SlotTable.describe(live))
                                        + ". Close the region in those processes (or stop them), then delete it.",
                                options.name(),
                                file, null);
                    }
                } else if (magic != RegionLayout.INIT_MAGIC && status.size != 0) {
                    throw new RegionFormatException("Refusing to delete " + file
                            + ": it is not a hostsync region (magic '"
                            + RegionLayout.magicText(magic) + "', expected 'HOSTSYNC'). If you are sure it is not used,"
                            + " remove it by hand.", options.name(), file, null);
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

    /**
     * Closes the region in this JVM. New acquisitions fail from now on, and threads waiting for a
     * lock give up with an {@link IllegalStateException}; then the slot is released (marked free,
     * and the descriptor closed, which releases the slot's lock and the byte locks) as soon as no
     * thread acquires or holds a lock of the region, waiting up to {@link #CLOSE_WAIT} for that.
     * Holds that outlast the wait keep the slot claimed, and other processes out, until the last
     * of them is released: closing never takes a lock away from a thread that holds it.
     */
    public void close() {
        RegionWatchdog.unwatch(this);
        long left = gate.close(CLOSE_WAIT);
        if (left != 0) {
            System.getLogger(RegionFile.class.getName()).log(System.Logger.Level.WARNING, "Region '" + options.name()
                    + "' (" + file + ") was closed while " + left + " lock hold(s) or acquisition(s) of this process"
                    + " were still in progress after " + CLOSE_WAIT.toMillis() + " ms: its process slot stays claimed,"
                    + " and other processes wait, until the threads holding its locks release them. Release locks"
                    + " before closing the region.");
        }
    }

    /** Run by the gate, once: frees the slot, unless the region is lost, and closes the descriptor. */
    private void releaseSlot() {
        synchronized (this) { // with lose(), which may detach a truncated mapping
            if (gate.lostBecause() == null) { // a lost region's memory may fault, and nobody who opens the path sees this slot
                slots.release();
            }
        }
        descriptor.close();
    }

    /** Whether closing has begun in this JVM. */
    public boolean isClosed() {
        return gate.isClosed();
    }

    /**
     * Fails once closing has begun, or the region is lost ({@link #lose}): the slot's records may
     * then belong to another process soon, or no longer be shared with anyone, so a lock or state
     * operation must not start. One volatile read: this is on every lock operation's path.
     */
    public void ensureOpen() {
        gate.ensureOpen();
    }

    /** Fails once the region is lost; a closed region passes (for liveness checks of statistics read after close). */
    public void ensureNotLost() {
        String because = gate.lostBecause();
        if (because != null) {
            throw new RegionLostException(because, options.name(), file, null);
        }
    }

    /**
     * Why the region was lost, if it was: its file removed, replaced or truncated while in use.
     *
     * @return the message every operation on the region now throws, or empty
     */
    public Optional<String> failure() {
        synchronized (this) { // lose() records the loss, then detaches a truncated mapping, under this lock
            return Optional.ofNullable(gate.lostBecause());
        }
    }

    /**
     * Marks the region lost: from now on every lock and state operation on it throws a
     * {@link RegionLostException} with the message of {@code loss}, which is logged once, as an
     * error. If the file is shorter than the mapping, the mapping is replaced by private memory,
     * so that no thread keeps faulting on it (HotSpot would livelock or crash it); the region is
     * unusable either way.
     *
     * @param loss what happened to the file and what to do
     * @param truncated whether the file is shorter than the mapping
     * @return whether this call lost it (false: it already was, or is closed)
     */
    boolean lose(RegionLostException loss, boolean truncated) {
        synchronized (this) {
            if (!gate.lose(Objects.requireNonNull(loss.getMessage(), "a RegionLostException says what was lost"))) {
                return false;
            }
            if (truncated) {
                descriptor.detach(buffer, header.size());
            }
        }
        System.getLogger(RegionWatchdog.class.getName()).log(System.Logger.Level.ERROR, loss.getMessage());
        return true;
    }

    /**
     * Turns a fault of a memory access to the mapping (HotSpot's asynchronous {@link InternalError},
     * the trace of a SIGBUS on a truncated file) into the region's loss, so that the caller stops
     * instead of retrying on memory that is gone.
     *
     * @param fault what the access threw
     * @return the exception to throw
     */
    public RegionLostException lostBy(InternalError fault) {
        RegionWatchdog.check(this); // says what happened to the file, if it can tell yet
        RegionLostException loss = new RegionLostException("Region '" + options.name() + "' (" + file + ") faulted on"
                + " a memory access (" + fault.getMessage() + "): its file was probably truncated while in use. "
                + RegionWatchdog.WHAT_TO_DO, options.name(), file, fault);
        lose(loss, true);
        String because = gate.lostBecause();
        return because == null ? loss : new RegionLostException(because, options.name(), file, fault);
    }

    /** Fails unless another handle's options describe the same region as this one's. */
    public void checkSameRegion(RegionOptions other) {
        HeaderFormat.checkMatches(header, other, file);
    }

    /**
     * Runs {@code action} holding the region's initialisation lock (byte 0), as creators and
     * deleters do. The byte lock belongs to the open file description, which all threads of this
     * JVM share, so they also take turns on a JVM-local lock; a nested call just runs its action.
     */
    public <T> T underInitLock(Supplier<T> action) {
        initLockInJvm.lock();
        try {
            if (initLockInJvm.getHoldCount() > 1) {
                return action.get();
            }
            acquireInitLock(descriptor, System.nanoTime() + options.openTimeout().toNanos(), options.openTimeout());
            try {
                return action.get();
            } finally {
                descriptor.unlock(RegionLayout.INIT_LOCK_BYTE);
            }
        } finally {
            initLockInJvm.unlock();
        }
    }

    /**
     * Creates the region directory if it is missing, and refuses one that others could use to
     * remove or replace the region file under its users: a symbolic link (it could be pointed
     * elsewhere), another user's directory, or one others may write without the sticky bit.
     */
    private static void prepareDirectory(RegionOptions options) {
        Path directory = options.directory();
        // exists() is false too for a path through a regular file (ENOTDIR), which creating then reports
        FileStatus status = Files.exists(directory, LinkOption.NOFOLLOW_LINKS) ? FileStatus.ofPath(directory) : null;
        if (status == null) {
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new RegionAccessException("Region directory " + directory + " of region '" + options.name()
                        + "' does not exist and could not be created (" + e
                        + "): create it, or configure another directory",
                        options.name(), directory, RegionAccessException.Refused.DIRECTORY, e);
            }
            status = FileStatus.ofPath(directory);
        }
        if (status != null && status.isSymbolicLink()) {
            throw RegionDescriptor.symbolicLinkDirectory(options);
        }
        if (status == null || !status.isDirectory()) {
            throw new RegionAccessException("Region directory " + directory + " of region '" + options.name()
                    + "' is not a directory: configure a directory", options.name(), directory,
                    RegionAccessException.Refused.DIRECTORY, null);
        }
        status.checkDirectory(options, RegionDescriptor.processUid());
    }

    private static void acquireInitLock(RegionDescriptor descriptor, long deadline, Duration timeout) {
        Path file = descriptor.file;
        long pauseNanos = 50_000;
        while (!descriptor.tryLock(RegionLayout.INIT_LOCK_BYTE)) {
            if (System.nanoTime() - deadline > 0) {
                throw new HostsyncException("Timed out after " + timeout + " waiting for the initialisation lock of "
                        + file
                        + ": another process holds it (it is creating, validating or deleting the region). If that process"
                        + " is stuck, find it with 'lslocks' or 'fuser " + file
                        + "' and stop it; or raise the open timeout.");
            }
            LockSupport.parkNanos(pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, 5_000_000);
        }
    }

    private static RegionFile initialiseOrValidate(RegionDescriptor descriptor, FileStatus status,
            RegionOptions options, RegionHooks hooks) {
        Path file = options.file();
        try {
            FileChannel channel = descriptor.channel();
            RegionHeader header;
            boolean initialise;
            if (status.size == 0) {
                initialise = true;
            } else if (status.size < Long.BYTES) {
                throw HeaderFormat.foreign(options, status.size, "is only " + status.size + " bytes long");
            } else {
                long magic = HeaderFormat.readHeaderBytes(channel, Long.BYTES).getLong(0);
                if (magic == RegionLayout.INIT_MAGIC) {
                    initialise = true; // its creator died before finishing; we hold the lock it held
                } else if (magic == RegionLayout.MAGIC) {
                    initialise = false;
                } else {
                    throw HeaderFormat.foreign(options, status.size,
                            "starts with '" + RegionLayout.magicText(magic) + "'");
                }
            }
            MappedByteBuffer buffer;
            if (initialise) {
                header = HeaderFormat.newHeader(options);
                buffer = initialise(descriptor, channel, header, options, hooks);
            } else {
                header = HeaderFormat.validate(HeaderFormat.readHeaderBytes(channel, RegionLayout.HEADER_FIELDS_LENGTH),
                        status.size, file);
                HeaderFormat.checkMatches(header, options, file);
                buffer = (MappedByteBuffer) channel.map(FileChannel.MapMode.READ_WRITE, 0, header.size())
                        .order(BYTE_ORDER);
            }
            if (header.backend() == Backend.POSIX) {
                SlotTable.refuseOtherPidNamespaces(descriptor, buffer, header, options);
            }
            long[] generation = new long[1];
            int slot = SlotTable.claim(descriptor, buffer, header, options, hooks, generation);
            descriptor.unlock(RegionLayout.INIT_LOCK_BYTE);
            return new RegionFile(options, descriptor, buffer, header, slot, generation[0], initialise, hooks);
        } catch (IOException e) {
            throw new HostsyncException(
                    "I/O error on region file " + file + " of region '" + options.name() + "': " + e, e);
        }
    }

    private static MappedByteBuffer initialise(RegionDescriptor descriptor, FileChannel channel, RegionHeader header,
            RegionOptions options, RegionHooks hooks) throws IOException {
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
        HeaderFormat.write(buffer, header);
        hooks.initialiseLock(descriptor.address(buffer), header, 0, file);
        LockTable.writeName(buffer, header, 0, RegionLayout.DEFAULT_LOCK_NAME);
        LONGS.setRelease(buffer, RegionLayout.MAGIC_OFFSET, RegionLayout.MAGIC);
        if (!FileStatus.isMemoryBacked(options.directory())) {
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

    /** The hooks of the layers above, for records created after opening. */
    RegionHooks hooks() {
        return hooks;
    }

}

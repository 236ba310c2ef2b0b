package io.hostsync.internal.os;

import io.hostsync.RegionAccessException;
import io.hostsync.RegionOptions;
import io.hostsync.RegionSpaceException;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.jspecify.annotations.Nullable;

/**
 * The region file as this JVM holds it open, and the one place that asks the operating system
 * about it: opening without following links, one-byte locks that the kernel frees when the process
 * dies (the initialisation byte, the slot bytes, the {@code file} backend's bytes), whether another
 * process holds such a byte, the file's status, and reserving its space.
 *
 * <p>{@link NativeRegionDescriptor}: a raw descriptor with OFD locks, {@code posix_fallocate} and
 * {@code /proc}, through jnr-ffi. {@link PortableRegionDescriptor}: pure Java, for every other system and for Linux with
 * {@code -Dhostsync.portable=true} (how the tests run it): one {@link FileChannel} for the whole
 * life of the region — closing any channel of a file drops the process's POSIX record locks on
 * it — JDK file locks, and space reserved by writing zeros.
 */
public abstract class RegionDescriptor implements AutoCloseable {

    /** The region file, as configured. */
    public final Path file;

    /** The locks on the region's own bytes (the initialisation byte, the slot bytes). */
    private final ByteLocks regionLocks;

    RegionDescriptor(Path file, ByteLocks regionLocks) {
        this.file = file;
        this.regionLocks = regionLocks;
    }

    /**
     * Opens the region file, creating it if there is none.
     *
     * @param options the region's options
     * @param created set to whether this call created the file, in {@code created[0]}
     * @return the open file
     */
    public static RegionDescriptor openOrCreate(RegionOptions options, boolean[] created) {
        return Platform.portable() ? PortableRegionDescriptor.openOrCreate(options, created)
                : NativeRegionDescriptor.openOrCreate(options, created);
    }

    /**
     * Opens an existing region file.
     *
     * @param options the region's options
     * @return the open file, or {@code null} if there is none
     */
    public static @Nullable RegionDescriptor openExisting(RegionOptions options) {
        return Platform.portable() ? PortableRegionDescriptor.openExisting(options)
                : NativeRegionDescriptor.openExisting(options);
    }

    /**
     * Takes the byte exclusively without waiting.
     *
     * @param offset the byte
     * @return false if another process holds it
     */
    public final boolean tryLock(long offset) {
        return regionLocks.tryLock(offset, false);
    }

    /**
     * Releases this process's lock on the byte.
     *
     * @param offset the byte
     */
    public final void unlock(long offset) {
        regionLocks.unlock(offset);
    }

    /**
     * Whether another process holds a lock on the byte; this process holds none on it.
     *
     * @param offset the byte
     * @return whether another process holds it
     */
    public final boolean isLockedByOther(long offset) {
        return regionLocks.heldByOthers(offset);
    }

    /** Size, owner, mode and identity of the file this descriptor has open. */
    public abstract FileStatus status();

    /** Sets the file's permission bits to the configured mode (creation applied the umask). */
    public abstract void setMode(int mode);

    /** Reserves {@code size} bytes for the file, so that touching its mapping never faults (SIGBUS) on a full file system. */
    public abstract void allocate(long size, RegionOptions options) throws IOException;

    /** A channel on the open file, for reading and mapping; the descriptor closes it. */
    public abstract FileChannel channel() throws IOException;

    /** The native address of a mapping, for futex calls; 0 on the portable layer, which has no futex. */
    public abstract long address(MappedByteBuffer mapping);

    /**
     * Replaces a mapping of this file by private zeroed memory at the same address, so that threads
     * still touching it stop faulting once the file was truncated under it; the file is left as it
     * is. Where the layer cannot (the portable one), HotSpot's handling of the faults remains.
     *
     * @param mapping a mapping of this file
     * @param size its length in bytes
     * @return whether the mapping was replaced
     */
    public abstract boolean detach(MappedByteBuffer mapping, long size);

    /** The {@code file} backend's byte locks; the descriptor closes them. */
    public abstract ByteLocks byteLocks();

    /** This process's effective user id, or -1 where the system has none to compare with. */
    public abstract int effectiveUid();

    /** Closes the file, which frees every lock this process holds on it. */
    @Override
    public abstract void close();

    /**
     * The identity of the file a path names now (device and inode, or what the system offers), or
     * null if there is none: what {@link FileStatus#isStill} compares with.
     */
    public static @Nullable Object identity(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            Object key = attributes.fileKey();
            return key != null ? key : attributes.creationTime();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static RegionSpaceException noSpace(RegionOptions options, long size, String reason) {
        long usable = usableSpace(options.directory());
        return new RegionSpaceException("Not enough space for region '" + options.name() + "' in " + options.directory()
                + ": it needs " + size + " bytes and " + (usable < 0 ? "less" : usable + " bytes")
                + " are free (" + reason + "). Free space there, choose a smaller size, or enlarge"
                + " the file system (for Docker, --shm-size; for Kubernetes, the emptyDir sizeLimit).", options.name(),
                options.file(), size, null);
    }

    static long usableSpace(Path directory) {
        try {
            return Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * This process's effective user id, or -1 where the system has none to compare with, asked
     * the way the region layer in use asks.
     */
    public static int processUid() {
        return Platform.portable() ? PortableRegionDescriptor.javaUid() : Native.libc().geteuid();
    }

    /**
     * The refusal of a region directory that is a symbolic link.
     *
     * @param options the region's options
     * @return the exception, to be thrown by the caller
     */
    public static RegionAccessException symbolicLinkDirectory(RegionOptions options) {
        Path directory = options.directory();
        return new RegionAccessException("Region directory " + directory + " of region '" + options.name()
                + "' is a symbolic link (to " + linkTarget(directory)
                + "). hostsync does not follow symbolic links, so that"
                + " nobody can redirect a region to another directory: configure the real directory.",
                options.name(), directory, RegionAccessException.Refused.DIRECTORY, null);
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The refusal of whatever stands at the region's path, if it is there and not a regular file; else null. */
    static @Nullable RegionAccessException notRegularFile(RegionOptions options) {
        FileStatus status = FileStatus.ofPath(options.file());
        return status == null || (status.mode & 0170000) == FileStatus.REGULAR || status.isSymbolicLink() ? null
                : FileStatus.notRegularFile(options.file(), status.mode);
    }

    static RegionAccessException symbolicLink(RegionOptions options) {
        Path file = options.file();
        return new RegionAccessException(
                "Region file " + file + " of region '" + options.name() + "' is a symbolic link (to "
                        + linkTarget(file)
                        + "). hostsync does not follow symbolic links, so that nobody can redirect a region to another"
                        + " file: remove the link, or configure the real directory.",
                options.name(), file,
                RegionAccessException.Refused.FILE, null);
    }

    static RegionAccessException accessDenied(RegionOptions options, String reason, String user) {
        return new RegionAccessException(
                "Cannot open region file " + options.file() + " of region '" + options.name() + "': "
                        + reason + ". This process runs as " + user + ": make " + options.directory()
                        + " and the file readable and"
                        + " writable for it, or configure a directory it may write.",
                options.name(), options.file(),
                RegionAccessException.Refused.FILE, null);
    }

    static void closeQuietly(@Nullable FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}

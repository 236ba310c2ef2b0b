package io.hostsync;

import io.hostsync.internal.Native;
import io.hostsync.internal.Platform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The region file as this JVM holds it open, and the one place that asks the operating system
 * about it: opening without following links, one-byte locks that the kernel frees when the process
 * dies (the initialisation byte, the slot bytes, the {@code file} backend's bytes), whether another
 * process holds such a byte, the file's status, and reserving its space.
 *
 * <p>{@link Linux}: a raw descriptor with OFD locks, {@code posix_fallocate} and {@code /proc},
 * through jnr-ffi. {@link Portable}: pure Java, for every other system and for Linux with
 * {@code -Dhostsync.portable=true} (how the tests run it): one {@link FileChannel} for the whole
 * life of the region — closing any channel of a file drops the process's POSIX record locks on
 * it — JDK file locks, and space reserved by writing zeros.
 */
abstract class RegionDescriptor implements AutoCloseable {

    final Path file;

    private RegionDescriptor(Path file) {
        this.file = file;
    }

    /** Opens the region file, creating it if there is none; {@code created[0]} says which. */
    static RegionDescriptor openOrCreate(RegionOptions options, boolean[] created) {
        return Platform.portable() ? Portable.openOrCreate(options, created) : Linux.openOrCreate(options, created);
    }

    /** Opens an existing region file, or returns {@code null} if there is none. */
    static RegionDescriptor openExisting(RegionOptions options) {
        return Platform.portable() ? Portable.openExisting(options) : Linux.openExisting(options);
    }

    /** Takes the byte exclusively without waiting; false if another process holds it. */
    abstract boolean tryLock(long offset);

    /** Releases this process's lock on the byte. */
    abstract void unlock(long offset);

    /** Whether another process holds a lock on the byte; this process holds none on it. */
    abstract boolean isLockedByOther(long offset);

    /** Size, owner, mode and identity of the file this descriptor has open. */
    abstract FileStatus status();

    /** Sets the file's permission bits to the configured mode (creation applied the umask). */
    abstract void setMode(int mode);

    /** Reserves {@code size} bytes for the file, so that touching its mapping never faults (SIGBUS) on a full file system. */
    abstract void allocate(long size, RegionOptions options) throws IOException;

    /** A channel on the open file, for reading and mapping; the descriptor closes it. */
    abstract FileChannel channel() throws IOException;

    /** The native address of a mapping, for futex calls; 0 on the portable layer, which has no futex. */
    abstract long address(MappedByteBuffer mapping);

    /** The {@code file} backend's byte locks; the descriptor closes them. */
    abstract FileLock.ByteLocks byteLocks();

    /** This process's effective user id, or -1 where the system has none to compare with. */
    abstract int effectiveUid();

    /** Closes the file, which frees every lock this process holds on it. */
    @Override
    public abstract void close();

    /**
     * The identity of the file a path names now (device and inode, or what the system offers), or
     * null if there is none: what {@link FileStatus#isStill} compares with.
     */
    static Object identity(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
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
                + " the file system (for Docker, --shm-size; for Kubernetes, the emptyDir sizeLimit).");
    }

    static long usableSpace(Path directory) {
        try {
            return Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    static RegionAccessException symbolicLink(RegionOptions options) {
        Path file = options.file();
        String target;
        try {
            target = Files.readSymbolicLink(file).toString();
        } catch (IOException e) {
            target = "?";
        }
        return new RegionAccessException("Region file " + file + " of region '" + options.name() + "' is a symbolic link (to "
                + target + "). hostsync does not follow symbolic links, so that nobody can redirect a region to another"
                + " file: remove the link, or configure the real directory.");
    }

    static RegionAccessException accessDenied(RegionOptions options, String reason, String user) {
        return new RegionAccessException("Cannot open region file " + options.file() + " of region '" + options.name() + "': "
                + reason + ". This process runs as " + user + ": make " + options.directory() + " and the file readable and"
                + " writable for it, or configure a directory it may write.");
    }

    // ------------------------------------------------------------------ Linux

    /** A raw descriptor: OFD locks belong to its open file description and go when it is closed. */
    static final class Linux extends RegionDescriptor {
        private static final int FLAGS = Native.O_RDWR | Native.O_NOFOLLOW | Native.O_CLOEXEC;

        final int fd;
        private FileChannel channel;
        private FileLock.ByteLocks byteLocks;

        private Linux(Path file, int fd) {
            super(file);
            this.fd = fd;
        }

        static RegionDescriptor openOrCreate(RegionOptions options, boolean[] created) {
            String path = options.file().toString();
            while (true) {
                int fd = Native.libc().open(path, FLAGS | Native.O_CREAT | Native.O_EXCL, options.fileMode());
                if (fd >= 0) {
                    created[0] = true;
                    return new Linux(options.file(), fd);
                }
                int errno = Native.errno();
                if (errno != Native.EEXIST) {
                    throw openFailure(options, errno);
                }
                fd = Native.libc().open(path, FLAGS, 0);
                if (fd >= 0) {
                    created[0] = false;
                    return new Linux(options.file(), fd);
                }
                errno = Native.errno();
                if (errno != Native.ENOENT) { // ENOENT: deleted in between, so create it
                    throw openFailure(options, errno);
                }
            }
        }

        static RegionDescriptor openExisting(RegionOptions options) {
            int fd = Native.libc().open(options.file().toString(), FLAGS, 0);
            if (fd < 0) {
                int errno = Native.errno();
                if (errno == Native.ENOENT) {
                    return null;
                }
                throw openFailure(options, errno);
            }
            return new Linux(options.file(), fd);
        }

        private static HostsyncException openFailure(RegionOptions options, int errno) {
            if (errno == Native.ELOOP) {
                return symbolicLink(options);
            }
            if (errno == Native.EACCES || errno == 1 || errno == 30) {
                return accessDenied(options, Native.describe(errno), "uid " + Native.libc().geteuid());
            }
            return Native.failure("open", options.file(), errno);
        }

        @Override
        boolean tryLock(long offset) {
            return Native.trySetOfdLock(fd, Native.F_WRLCK, offset, 1, file);
        }

        @Override
        void unlock(long offset) {
            Native.trySetOfdLock(fd, Native.F_UNLCK, offset, 1, file);
        }

        @Override
        boolean isLockedByOther(long offset) {
            return Native.isLockedByOther(fd, offset, 1, file);
        }

        @Override
        FileStatus status() {
            Path descriptor = descriptorPath();
            try {
                Map<String, Object> attributes = Files.readAttributes(descriptor, "unix:size,uid,mode,fileKey");
                return new FileStatus((Long) attributes.get("size"), (Integer) attributes.get("uid"),
                        (Integer) attributes.get("mode"), attributes.get("fileKey"));
            } catch (IOException | UnsupportedOperationException e) {
                throw new HostsyncException("Cannot read the status of region file " + file + ": " + e, e);
            }
        }

        private Path descriptorPath() {
            return Path.of("/proc/self/fd/" + fd);
        }

        @Override
        void setMode(int mode) {
            if (Native.libc().fchmod(fd, mode) != 0) {
                throw Native.failure("fchmod", file, Native.errno());
            }
        }

        @Override
        void allocate(long size, RegionOptions options) {
            int error = Native.libc().posix_fallocate(fd, 0, size);
            if (error == Native.ENOSPC || error == Native.EDQUOT || error == 27) {
                throw noSpace(options, size, Native.describe(error));
            }
            if (error != 0) {
                throw Native.failure("posix_fallocate", file, error);
            }
        }

        /** A channel on the very file behind the descriptor, even if its path has changed. */
        @Override
        synchronized FileChannel channel() throws IOException {
            if (channel == null) {
                channel = FileChannel.open(descriptorPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            return channel;
        }

        @Override
        long address(MappedByteBuffer mapping) {
            return Native.address(mapping);
        }

        @Override
        synchronized FileLock.ByteLocks byteLocks() {
            if (byteLocks == null) {
                byteLocks = Boolean.getBoolean(FileLock.CHANNEL_PROPERTY) ? FileLock.ChannelLocks.open(file)
                        : new FileLock.OfdLocks(fd, file);
            }
            return byteLocks;
        }

        @Override
        int effectiveUid() {
            return Native.libc().geteuid();
        }

        @Override
        public synchronized void close() {
            if (byteLocks != null) {
                byteLocks.close();
            }
            closeQuietly(channel);
            Native.closeQuietly(fd);
        }
    }

    // ------------------------------------------------------------------ portable

    /**
     * One {@link FileChannel} and JDK file locks on it. On Unix systems those are POSIX record
     * locks, owned by the process and freed by the kernel when it dies, like OFD locks; unlike
     * them, closing any other channel of the file in this JVM would drop them, so this channel
     * is the only one hostsync opens on the file while the region is open, and it is never closed
     * before the region is.
     */
    static final class Portable extends RegionDescriptor {
        private final FileChannel channel;
        private final FileLock.ChannelLocks locks;
        private final Object key;

        private Portable(Path file, FileChannel channel, Object key) {
            super(file);
            this.channel = channel;
            this.key = key;
            this.locks = new FileLock.ChannelLocks(file, channel);
        }

        static RegionDescriptor openOrCreate(RegionOptions options, boolean[] created) {
            Path file = options.file();
            while (true) {
                try {
                    Object before = identity(file);
                    Set<OpenOption> create = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                    // Created with the configured mode (less the umask), as open(2) does: never looser,
                    // even for a process that opens it before the creator has set the mode exactly.
                    FileChannel channel = posix(file) ? FileChannel.open(file, create,
                            PosixFilePermissions.asFileAttribute(permissions(options.fileMode())))
                            : FileChannel.open(file, create);
                    created[0] = true;
                    Portable opened = verified(file, channel, before);
                    if (opened != null) {
                        return opened;
                    }
                } catch (FileAlreadyExistsException exists) {
                    RegionDescriptor opened = openExisting(options);
                    if (opened != null) {
                        created[0] = false;
                        return opened;
                    } // deleted in between, so create it
                } catch (IOException e) {
                    throw openFailure(options, e);
                }
            }
        }

        static RegionDescriptor openExisting(RegionOptions options) {
            Path file = options.file();
            while (true) {
                try {
                    Object before = identity(file);
                    if (before == null) {
                        return null;
                    }
                    Set<OpenOption> open = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                    Portable opened = verified(file, FileChannel.open(file, open), before);
                    if (opened != null) {
                        return opened;
                    } // replaced between the two looks: open the current file
                } catch (NoSuchFileException e) {
                    return null;
                } catch (IOException e) {
                    throw openFailure(options, e);
                }
            }
        }

        /**
         * Java cannot ask which file an open channel is on, so the path is looked at before and
         * after opening: the same file both times is the file opened.
         */
        private static Portable verified(Path file, FileChannel channel, Object before) throws IOException {
            Object after;
            try {
                after = identity(file);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (before != null && !before.equals(after)) {
                channel.close();
                return null;
            }
            return new Portable(file, channel, after);
        }

        private static HostsyncException openFailure(RegionOptions options, IOException e) {
            if (Files.isSymbolicLink(options.file())) {
                return symbolicLink(options);
            }
            if (e instanceof AccessDeniedException || Files.isDirectory(options.directory()) && !Files.isWritable(options.directory())) {
                return accessDenied(options, String.valueOf(e.getMessage() != null ? e.getMessage() : e),
                        "user " + System.getProperty("user.name"));
            }
            return new HostsyncException("Cannot open region file " + options.file() + " of region '" + options.name() + "': "
                    + e, e);
        }

        @Override
        boolean tryLock(long offset) {
            return locks.tryLock(offset, false);
        }

        @Override
        void unlock(long offset) {
            locks.unlock(offset);
        }

        @Override
        boolean isLockedByOther(long offset) {
            return locks.heldByOthers(offset);
        }

        @Override
        FileStatus status() {
            try {
                long size = channel.size();
                if (file.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                    Map<String, Object> attributes = Files.readAttributes(file, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
                    return new FileStatus(size, (Integer) attributes.get("uid"), (Integer) attributes.get("mode"), key);
                }
                BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return new FileStatus(size, -1, basic.isRegularFile() ? FileStatus.REGULAR : 0, key);
            } catch (NoSuchFileException e) {
                return new FileStatus(-1, -1, FileStatus.REGULAR, null); // deleted: isStill says so, the caller opens again
            } catch (IOException | UnsupportedOperationException e) {
                throw new HostsyncException("Cannot read the status of region file " + file + ": " + e, e);
            }
        }

        private static boolean posix(Path file) {
            return file.getFileSystem().supportedFileAttributeViews().contains("posix");
        }

        private static Set<PosixFilePermission> permissions(int mode) {
            Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE: 0400 .. 0001
            for (int bit = 0; bit < 9; bit++) {
                if ((mode & (0400 >> bit)) != 0) {
                    permissions.add(bits[bit]);
                }
            }
            return permissions;
        }

        @Override
        void setMode(int mode) {
            if (!posix(file)) {
                return; // Windows: access is the directory's ACLs
            }
            try {
                Files.setPosixFilePermissions(file, permissions(mode));
            } catch (IOException e) {
                throw new HostsyncException("Cannot set the mode of region file " + file + " to 0" + Integer.toOctalString(mode)
                        + ": " + e, e);
            }
        }

        /** Writes zeros over the whole file, so that its blocks exist before anyone maps them. */
        @Override
        void allocate(long size, RegionOptions options) throws IOException {
            long usable = usableSpace(options.directory());
            if (usable >= 0 && usable < size - channel.size()) {
                throw noSpace(options, size, "No space left on device, checked before writing");
            }
            ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
            long position = channel.size();
            try {
                while (position < size) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), size - position));
                    position += channel.write(zeros, position);
                }
            } catch (IOException e) {
                if (usableSpace(options.directory()) < size - position || String.valueOf(e.getMessage()).contains("space")) {
                    throw noSpace(options, size, String.valueOf(e.getMessage()));
                }
                throw e;
            }
        }

        @Override
        FileChannel channel() {
            return channel;
        }

        @Override
        long address(MappedByteBuffer mapping) {
            return 0;
        }

        @Override
        FileLock.ByteLocks byteLocks() {
            return locks;
        }

        @Override
        int effectiveUid() {
            try {
                Class<?> unix = Class.forName("com.sun.security.auth.module.UnixSystem");
                return (int) (long) unix.getMethod("getUid").invoke(unix.getConstructor().newInstance());
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return -1; // Windows: no uid
            }
        }

        @Override
        public void close() {
            locks.close(); // closes the channel, and with it every lock of this process on the file
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** What the system says about the region file. */
    static final class FileStatus {
        static final int REGULAR = 0100000;

        final long size;
        /** The owner's uid, or -1 where the system has none. */
        final int uid;
        final int mode;
        final Object key;

        FileStatus(long size, int uid, int mode, Object key) {
            this.size = size;
            this.uid = uid;
            this.mode = mode;
            this.key = key;
        }

        /** Whether the path still names the file we opened (it was not deleted or replaced). */
        boolean isStill(Path file) {
            try {
                return key != null && key.equals(identity(file)); // null identity: deleted
            } catch (IOException e) {
                throw new HostsyncException("Cannot read the status of region file " + file + ": " + e, e);
            }
        }

        static boolean isMemoryBacked(Path directory) {
            try {
                return "tmpfs".equals(Files.getFileStore(directory).type());
            } catch (IOException e) {
                return false;
            }
        }

        void checkOwnerAndMode(RegionOptions options, int self) {
            Path file = options.file();
            if ((mode & 0170000) != REGULAR) {
                throw new RegionAccessException("Region file " + file + " is not a regular file (mode 0"
                        + Integer.toOctalString(mode) + "): remove it, or choose another region name or directory.");
            }
            if (uid >= 0 && self >= 0 && uid != self && !options.allowForeignOwner()) {
                throw new RegionAccessException("Region file " + file + " is owned by uid " + uid + ", but this process runs"
                        + " as uid " + self + ". Another user's region could be used against this application: run as uid "
                        + uid + ", or allow foreign owners for region '" + options.name() + "' if the sharing is intended.");
            }
            int permissions = mode & 0777;
            if (uid >= 0 && (permissions & ~options.fileMode()) != 0 && !options.allowLooserPermissions()) {
                throw new RegionAccessException("Region file " + file + " has mode 0" + Integer.toOctalString(permissions)
                        + ", looser than the configured 0" + Integer.toOctalString(options.fileMode()) + ": other users could"
                        + " read or change it. Run 'chmod 0" + Integer.toOctalString(options.fileMode()) + " " + file
                        + "', configure file mode 0" + Integer.toOctalString(permissions) + ", or allow looser permissions"
                        + " for region '" + options.name() + "'.");
            }
        }
    }
}

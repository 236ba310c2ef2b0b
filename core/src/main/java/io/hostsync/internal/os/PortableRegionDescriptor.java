package io.hostsync.internal.os;

import io.hostsync.HostsyncException;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionOptions;
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
import org.jspecify.annotations.Nullable;

/**
 * One {@link FileChannel} and JDK file locks on it. On Unix systems those are POSIX record
 * locks, owned by the process and freed by the kernel when it dies, like OFD locks; unlike
 * them, closing any other channel of the file in this JVM would drop them, so this channel
 * is the only one hostsync opens on the file while the region is open, and it is never closed
 * before the region is.
 */
public final class PortableRegionDescriptor extends RegionDescriptor {
    private final FileChannel channel;
    private final ChannelLocks locks;
    private final @Nullable Object key;

    private PortableRegionDescriptor(Path file, FileChannel channel, @Nullable Object key) {
        this(file, channel, key, new ChannelLocks(file, channel));
    }

    private PortableRegionDescriptor(Path file, FileChannel channel, @Nullable Object key, ChannelLocks locks) {
        super(file, locks);
        this.channel = channel;
        this.key = key;
        this.locks = locks;
    }

    public static RegionDescriptor openOrCreate(RegionOptions options, boolean[] created) {
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
                PortableRegionDescriptor opened = verified(file, channel, before);
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

    public static @Nullable RegionDescriptor openExisting(RegionOptions options) {
        Path file = options.file();
        while (true) {
            try {
                Object before = identity(file);
                if (before == null) {
                    return null;
                }
                Set<OpenOption> open = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                PortableRegionDescriptor opened = verified(file, FileChannel.open(file, open), before);
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
    private static @Nullable PortableRegionDescriptor verified(Path file, FileChannel channel, @Nullable Object before)
            throws IOException {
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
        return new PortableRegionDescriptor(file, channel, after);
    }

    private static HostsyncException openFailure(RegionOptions options, IOException e) {
        if (Files.isSymbolicLink(options.file())) {
            return symbolicLink(options);
        }
        RegionAccessException notRegular = notRegularFile(options); // a directory or a socket fails to open, unlike a file
        if (notRegular != null) {
            return notRegular;
        }
        if (e instanceof AccessDeniedException
                || Files.isDirectory(options.directory()) && !Files.isWritable(options.directory())) {
            return accessDenied(options, String.valueOf(e.getMessage() != null ? e.getMessage() : e),
                    "user " + System.getProperty("user.name"));
        }
        return new HostsyncException(
                "Cannot open region file " + options.file() + " of region '" + options.name() + "': "
                        + e,
                e);
    }

    /** Pure Java cannot map over a mapping: the faults of a truncated file stay HotSpot's to handle. */
    @Override
    public boolean detach(MappedByteBuffer mapping, long size) {
        return false;
    }

    @Override
    public FileStatus status() {
        try {
            long size = channel.size();
            if (file.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                Map<String, Object> attributes = Files.readAttributes(file, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
                return new FileStatus(size, FileStatus.attribute(attributes, "uid", Integer.class),
                        FileStatus.attribute(attributes, "mode", Integer.class), key);
            }
            BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
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
    public void setMode(int mode) {
        if (!posix(file)) {
            return; // Windows: access is the directory's ACLs
        }
        try {
            Files.setPosixFilePermissions(file, permissions(mode));
        } catch (IOException e) {
            throw new HostsyncException(
                    "Cannot set the mode of region file " + file + " to 0" + Integer.toOctalString(mode)
                            + ": " + e,
                    e);
        }
    }

    /** Writes zeros over the whole file, so that its blocks exist before anyone maps them. */
    @Override
    public void allocate(long size, RegionOptions options) throws IOException {
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
            if (usableSpace(options.directory()) < size - position
                    || String.valueOf(e.getMessage()).contains("space")) {
                throw noSpace(options, size, String.valueOf(e.getMessage()));
            }
            throw e;
        }
    }

    @Override
    public FileChannel channel() {
        return channel;
    }

    @Override
    public long address(MappedByteBuffer mapping) {
        return 0;
    }

    @Override
    public ByteLocks byteLocks() {
        return locks;
    }

    @Override
    public int effectiveUid() {
        return javaUid();
    }

    /** The process's uid as the JDK tells it, or -1 where there is none (Windows). */
    static int javaUid() {
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

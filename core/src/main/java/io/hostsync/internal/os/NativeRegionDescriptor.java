package io.hostsync.internal.os;

import io.hostsync.HostsyncException;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionOptions;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The native region layer: a raw descriptor opened with {@code O_NOFOLLOW}, OFD locks that
 * belong to its open file description and go when it is closed, {@code posix_fallocate} and
 * {@code /proc}, through jnr-ffi.
 */
public final class NativeRegionDescriptor extends RegionDescriptor {

    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_FIXED = 0x10;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int EISDIR = 21;
    private static final int ENXIO = 6;
    private static final int FLAGS = Native.O_RDWR | Native.O_NOFOLLOW | Native.O_CLOEXEC;

    final int fd;
    private @Nullable FileChannel channel;
    private @Nullable ByteLocks byteLocks;

    private NativeRegionDescriptor(Path file, int fd) {
        super(file, new OfdLocks(fd, file));
        this.fd = fd;
    }

    public static RegionDescriptor openOrCreate(RegionOptions options, boolean[] created) {
        String path = options.file().toString();
        while (true) {
            int fd = Native.libc().open(path, FLAGS | Native.O_CREAT | Native.O_EXCL, options.fileMode());
            if (fd >= 0) {
                created[0] = true;
                return new NativeRegionDescriptor(options.file(), fd);
            }
            int errno = Native.errno();
            if (errno != Native.EEXIST) {
                throw openFailure(options, errno);
            }
            fd = Native.libc().open(path, FLAGS, 0);
            if (fd >= 0) {
                created[0] = false;
                return new NativeRegionDescriptor(options.file(), fd);
            }
            errno = Native.errno();
            if (errno != Native.ENOENT) { // ENOENT: deleted in between, so create it
                throw openFailure(options, errno);
            }
        }
    }

    public static @Nullable RegionDescriptor openExisting(RegionOptions options) {
        int fd = Native.libc().open(options.file().toString(), FLAGS, 0);
        if (fd < 0) {
            int errno = Native.errno();
            if (errno == Native.ENOENT) {
                return null;
            }
            throw openFailure(options, errno);
        }
        return new NativeRegionDescriptor(options.file(), fd);
    }

    private static HostsyncException openFailure(RegionOptions options, int errno) {
        if (errno == Native.ELOOP) {
            return symbolicLink(options);
        }
        if (errno == EISDIR || errno == ENXIO) { // a directory, a socket (or a device without a driver)
            RegionAccessException notRegular = notRegularFile(options);
            if (notRegular != null) {
                return notRegular;
            }
        }
        if (errno == Native.EACCES || errno == 1 || errno == 30) {
            return accessDenied(options, Native.describe(errno), "uid " + Native.libc().geteuid());
        }
        return Native.failure("open", options.file(), errno);
    }

    /**
     * Maps anonymous private memory over the mapping ({@code MAP_FIXED}), atomically for the threads
     * touching it: the garbage collector's later {@code munmap} of the buffer frees it as it would
     * have freed the file's pages.
     */
    @Override
    public boolean detach(MappedByteBuffer mapping, long size) {
        long address = Native.address(mapping);
        return Native.SYS_MMAP >= 0 && Native.libc().syscall(Native.SYS_MMAP, address, size, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) == address;
    }

    @Override
    public FileStatus status() {
        Path descriptor = descriptorPath();
        try {
            Map<String, Object> attributes = Files.readAttributes(descriptor, "unix:size,uid,mode,fileKey");
            return new FileStatus(FileStatus.attribute(attributes, "size", Long.class),
                    FileStatus.attribute(attributes, "uid", Integer.class),
                    FileStatus.attribute(attributes, "mode", Integer.class), attributes.get("fileKey"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new HostsyncException("Cannot read the status of region file " + file + ": " + e, e);
        }
    }

    private Path descriptorPath() {
        return Path.of("/proc/self/fd/" + fd);
    }

    @Override
    public void setMode(int mode) {
        if (Native.libc().fchmod(fd, mode) != 0) {
            throw Native.failure("fchmod", file, Native.errno());
        }
    }

    @Override
    public void allocate(long size, RegionOptions options) {
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
    public synchronized FileChannel channel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(descriptorPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return channel;
    }

    @Override
    public long address(MappedByteBuffer mapping) {
        return Native.address(mapping);
    }

    @Override
    public synchronized ByteLocks byteLocks() {
        if (byteLocks == null) {
            byteLocks = Boolean.getBoolean(Platform.CHANNEL_LOCKS_PROPERTY) ? ChannelLocks.open(file)
                    : new OfdLocks(fd, file);
        }
        return byteLocks;
    }

    @Override
    public int effectiveUid() {
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

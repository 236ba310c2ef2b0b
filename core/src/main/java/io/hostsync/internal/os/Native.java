package io.hostsync.internal.os;

import io.hostsync.NativeCallException;
import io.hostsync.internal.ffi.LibC;
import java.util.Locale;
import java.util.Map;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The one place native calls are made: loads {@link LibC} once, holds the constants of the
 * platform, and turns errno into a {@link NativeCallException} naming the call.
 *
 * <p>Supported platforms are Linux with glibc on x86-64 and aarch64. Constants that differ
 * between them (the {@code open} flags) are chosen here; everything else is the same on both.
 */
public final class Native {

    /** {@code EINTR}: the call was interrupted by a signal and may be retried. */
    public static final int EINTR = 4;
    /** {@code EACCES}: permission denied; also a conflicting lock for some fcntl commands. */
    public static final int EACCES = 13;
    /** {@code EAGAIN}: a conflicting lock is held. */
    public static final int EAGAIN = 11;
    /** {@code EEXIST}: the file exists. */
    public static final int EEXIST = 17;
    /** {@code ENOENT}: no such file or directory. */
    public static final int ENOENT = 2;
    /** {@code ENOSPC}: no space left on the device. */
    public static final int ENOSPC = 28;
    /** {@code EDQUOT}: disk quota exceeded. */
    public static final int EDQUOT = 122;
    /** {@code ELOOP}: the last path component is a symbolic link and {@code O_NOFOLLOW} was given. */
    public static final int ELOOP = 40;
    /** {@code EINVAL}: invalid argument. */
    public static final int EINVAL = 22;
    /** {@code EOPNOTSUPP}: operation not supported by this file system. */
    public static final int EOPNOTSUPP = 95;

    private static final Map<Integer, String> ERRNO_NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(EINTR, "EINTR"),
            Map.entry(5, "EIO"), Map.entry(9, "EBADF"), Map.entry(EAGAIN, "EAGAIN"),
            Map.entry(12, "ENOMEM"), Map.entry(EACCES, "EACCES"), Map.entry(EEXIST, "EEXIST"),
            Map.entry(19, "ENODEV"), Map.entry(20, "ENOTDIR"), Map.entry(21, "EISDIR"),
            Map.entry(EINVAL, "EINVAL"), Map.entry(23, "ENFILE"), Map.entry(24, "EMFILE"),
            Map.entry(26, "ETXTBSY"), Map.entry(27, "EFBIG"), Map.entry(ENOSPC, "ENOSPC"),
            Map.entry(30, "EROFS"), Map.entry(35, "EDEADLK"), Map.entry(36, "ENAMETOOLONG"),
            Map.entry(37, "ENOLCK"), Map.entry(38, "ENOSYS"), Map.entry(ELOOP, "ELOOP"),
            Map.entry(EOPNOTSUPP, "EOPNOTSUPP"), Map.entry(110, "ETIMEDOUT"),
            Map.entry(EDQUOT, "EDQUOT"));

    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_CREAT}. */
    public static final int O_CREAT = 0100;
    /** {@code O_EXCL}. */
    public static final int O_EXCL = 0200;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 02000000;
    /** {@code O_NOFOLLOW}: 0400000 on x86-64, 0100000 on aarch64. */
    public static final int O_NOFOLLOW;
    /** {@code SYS_futex}: 202 on x86-64, 98 on aarch64. */
    public static final long SYS_FUTEX;
    /**
     * {@code SYS_mmap}: 9 on x86-64, 222 on aarch64. Called through {@code syscall}: glibc's
     * {@code mmap} bound through jnr-ffi answered {@code EINVAL} to the arguments the kernel accepts.
     */
    public static final long SYS_MMAP;

    /** {@code F_OFD_GETLK}: report whether a lock could be placed (Linux 3.15+). */
    public static final int F_OFD_GETLK = 36;
    /** {@code F_OFD_SETLK}: place or release a lock without waiting. */
    public static final int F_OFD_SETLK = 37;
    /** {@code F_RDLCK}. */
    public static final short F_RDLCK = 0;
    /** {@code F_WRLCK}. */
    public static final short F_WRLCK = 1;
    /** {@code F_UNLCK}. */
    public static final short F_UNLCK = 2;

    /**
     * {@code struct flock} on 64-bit glibc: {@code short l_type; short l_whence; off_t l_start;
     * off_t l_len; pid_t l_pid;} padded to 32 bytes.
     */
    private static final int FLOCK_SIZE = 32;
    private static final int FLOCK_TYPE = 0;
    private static final int FLOCK_WHENCE = 2;
    private static final int FLOCK_START = 8;
    private static final int FLOCK_LEN = 16;
    private static final int FLOCK_PID = 24;

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            O_NOFOLLOW = 0;
            SYS_FUTEX = -1;
            SYS_MMAP = -1;
        } else if (arch.equals("amd64") || arch.equals("x86_64")) {
            O_NOFOLLOW = 0400000;
            SYS_FUTEX = 202;
            SYS_MMAP = 9;
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            O_NOFOLLOW = 0100000;
            SYS_FUTEX = 98;
            SYS_MMAP = 222;
        } else {
            O_NOFOLLOW = 0;
            SYS_FUTEX = -1;
            SYS_MMAP = -1;
        }
    }

    private Native() {
    }

    /**
     * Returns the C library, loading it on first use.
     *
     * @return the bound library
     */
    public static LibC libc() {
        return Holder.LIBC;
    }

    /**
     * Returns the errno saved by the last call of this thread.
     *
     * @return errno
     */
    public static int errno() {
        return LastError.getLastError(Holder.RUNTIME);
    }

    /**
     * Describes an error number: its symbolic name and the C library's text.
     *
     * @param errno the error number
     * @return for example {@code ENOSPC (No space left on device)}
     */
    public static String describe(int errno) {
        String name = ERRNO_NAMES.getOrDefault(errno, "errno " + errno);
        return name + " (" + libc().strerror(errno) + ")";
    }

    /**
     * Builds the exception for a failed call.
     *
     * @param call the function, for example {@code open}
     * @param subject what it was called on, for example the file
     * @param errno the error number
     * @return the exception, to be thrown by the caller
     */
    public static NativeCallException failure(String call, Object subject, int errno) {
        return new NativeCallException(call, errno, call + " failed on " + subject + ": " + describe(errno));
    }

    /**
     * Places or releases an OFD lock on {@code length} bytes at {@code offset} without waiting.
     *
     * @param fd the file descriptor whose open file description will own the lock
     * @param type {@link #F_WRLCK}, {@link #F_RDLCK} or {@link #F_UNLCK}
     * @param offset the first byte
     * @param length the number of bytes
     * @param subject the file, for error messages
     * @return {@code true} if placed, {@code false} if another open file description holds a
     *     conflicting lock
     */
    public static boolean trySetOfdLock(int fd, short type, long offset, long length, Object subject) {
        Pointer flock = flock(type, offset, length);
        while (true) {
            if (libc().fcntl(fd, F_OFD_SETLK, flock) == 0) {
                return true;
            }
            int errno = errno();
            if (errno == EAGAIN || errno == EACCES) {
                return false;
            }
            if (errno != EINTR) {
                throw failure("fcntl(F_OFD_SETLK)", subject, errno);
            }
        }
    }

    /**
     * Asks the kernel whether any other open file description holds a lock that conflicts with a
     * write lock on the given bytes. Locks held through {@code fd}'s own open file description do
     * not count.
     *
     * @param fd a file descriptor of the file
     * @param offset the first byte
     * @param length the number of bytes
     * @param subject the file, for error messages
     * @return {@code true} if some other open file description holds a lock there
     */
    public static boolean isLockedByOther(int fd, long offset, long length, Object subject) {
        Pointer flock = flock(F_WRLCK, offset, length);
        while (true) {
            if (libc().fcntl(fd, F_OFD_GETLK, flock) == 0) {
                return flock.getShort(FLOCK_TYPE) != F_UNLCK;
            }
            int errno = errno();
            if (errno != EINTR) {
                throw failure("fcntl(F_OFD_GETLK)", subject, errno);
            }
        }
    }

    /** Each thread's {@code struct flock}: lock checks happen on every contended path, so no garbage per call. */
    private static final ThreadLocal<Pointer> FLOCK = ThreadLocal.withInitial(
            () -> Memory.allocateDirect(Holder.RUNTIME, FLOCK_SIZE, true));

    private static Pointer flock(short type, long offset, long length) {
        Pointer flock = FLOCK.get();
        flock.putShort(FLOCK_TYPE, type);
        flock.putShort(FLOCK_WHENCE, (short) 0); // SEEK_SET
        flock.putLong(FLOCK_START, offset);
        flock.putLong(FLOCK_LEN, length);
        flock.putInt(FLOCK_PID, 0); // must be 0 for OFD locks
        return flock;
    }

    /**
     * Returns the native address of a direct buffer, such as a mapped region.
     *
     * @param buffer a direct buffer
     * @return the address of its first byte
     */
    public static long address(java.nio.ByteBuffer buffer) {
        return Pointer.wrap(Holder.RUNTIME, buffer).address();
    }

    /**
     * Allocates native memory that is freed when the returned pointer is garbage collected.
     *
     * @param size bytes
     * @return the memory, zeroed
     */
    public static Pointer allocate(int size) {
        return Memory.allocateDirect(Holder.RUNTIME, size, true);
    }

    /**
     * Closes a file descriptor, ignoring errors: used on paths that already report a failure,
     * and on close, where the descriptor is gone whatever close returns.
     *
     * @param fd the descriptor, ignored if negative
     */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            libc().close(fd);
        }
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }
}

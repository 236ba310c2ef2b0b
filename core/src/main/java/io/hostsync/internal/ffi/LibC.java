package io.hostsync.internal.ffi;

import io.hostsync.internal.os.Native;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.off_t;

/**
 * The C library functions hostsync calls, bound once through jnr-ffi by {@link Native}.
 *
 * <p>Functions that report failure through errno save it (jnr-ffi's default); functions that
 * return their error number, or cannot fail, are marked {@link IgnoreError}, which halves the
 * cost of the call.
 */
public interface LibC {

    /** {@code int open(const char *path, int flags, mode_t mode)}; -1 and errno on failure. */
    int open(String path, int flags, int mode);

    /** {@code int close(int fd)}. */
    int close(int fd);

    /** {@code int fcntl(int fd, int cmd, struct flock *lock)}, for the OFD lock commands. */
    int fcntl(int fd, int cmd, Pointer flock);

    /** {@code int posix_fallocate(int fd, off_t offset, off_t len)}; returns the error number. */
    @IgnoreError
    int posix_fallocate(int fd, @off_t long offset, @off_t long length);

    /** {@code int ftruncate(int fd, off_t length)}. */
    int ftruncate(int fd, @off_t long length);

    /** {@code int fchmod(int fd, mode_t mode)}. */
    int fchmod(int fd, int mode);

    /** {@code uid_t geteuid(void)}; cannot fail. */
    @IgnoreError
    int geteuid();

    /**
     * {@code long syscall(long number, ...)}, used for {@code futex(2)}, which glibc does not
     * wrap. Errors are not saved: every futex caller re-reads the state it waits on anyway.
     */
    @IgnoreError
    long syscall(long number, long arg1, long arg2, long arg3, long arg4, long arg5, long arg6);

    /** {@code char *strerror(int errnum)}. */
    @IgnoreError
    String strerror(int errnum);
}

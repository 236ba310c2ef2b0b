package io.hostsync.internal.ffi;

import io.hostsync.internal.os.Posix;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;

/**
 * The glibc read-write lock functions of the {@code posix} backend, bound by {@link Posix}.
 * Every one returns its error number (0 on success) and leaves errno alone, so none saves it.
 * Lock addresses are passed as {@code long}: the same width and calling convention as a
 * pointer on the supported 64-bit platforms, and no wrapper object per call.
 */
public interface PThread {

    /** {@code const char *gnu_get_libc_version(void)}: present only in glibc. */
    @IgnoreError
    String gnu_get_libc_version();

    @IgnoreError
    int pthread_rwlockattr_init(Pointer attr);

    @IgnoreError
    int pthread_rwlockattr_setpshared(Pointer attr, int shared);

    @IgnoreError
    int pthread_rwlockattr_setkind_np(Pointer attr, int kind);

    @IgnoreError
    int pthread_rwlockattr_destroy(Pointer attr);

    @IgnoreError
    int pthread_rwlock_init(long rwlock, Pointer attr);

    @IgnoreError
    int pthread_rwlock_tryrdlock(long rwlock);

    @IgnoreError
    int pthread_rwlock_trywrlock(long rwlock);

    /** glibc 2.30+: waits until {@code abstime} on the given clock. */
    @IgnoreError
    int pthread_rwlock_clockrdlock(long rwlock, int clock, Pointer abstime);

    /** glibc 2.30+: waits until {@code abstime} on the given clock. */
    @IgnoreError
    int pthread_rwlock_clockwrlock(long rwlock, int clock, Pointer abstime);

    @IgnoreError
    int pthread_rwlock_unlock(long rwlock);

    /** {@code int clock_gettime(clockid_t, struct timespec *)}. */
    @IgnoreError
    int clock_gettime(int clock, Pointer timespec);
}

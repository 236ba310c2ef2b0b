package io.hostsync.internal.os;

import java.util.concurrent.locks.LockSupport;
import jnr.ffi.Pointer;

/**
 * Shared futex waits and wakes on a 32-bit word in a mapped region: {@code FUTEX_WAIT} and
 * {@code FUTEX_WAKE} without {@code FUTEX_PRIVATE_FLAG}, so that the kernel keys the futex by the
 * file page and processes in any PID namespace that map the file meet on it.
 *
 * <p>On the portable region layer ({@link Platform#portable()}) there is no futex: a wait sleeps
 * {@link Platform#PORTABLE_POLL_NANOS} at most and returns, so that the caller looks again, and a
 * wake does nothing.
 */
public final class Futex {

    private Futex() {
    }

    /**
     * Sleeps while the word at {@code address} holds {@code expected}, at most {@code timeoutNanos},
     * or until woken. Returns at once if the word holds another value; may return early (a signal,
     * a spurious wake-up): callers re-check what they wait for.
     *
     * @param address the word's address, 4-byte aligned, in a shared mapping
     * @param expected the value seen before deciding to sleep
     * @param timeoutNanos the longest sleep, positive
     */
    public static void await(long address, int expected, long timeoutNanos) {
        if (Platform.portable()) {
            LockSupport.parkNanos(Math.min(timeoutNanos, Platform.PORTABLE_POLL_NANOS));
            return;
        }
        Linux.await(address, expected, timeoutNanos);
    }

    /**
     * Wakes every process and thread sleeping on the word at {@code address}.
     *
     * @param address the word's address
     */
    public static void wakeAll(long address) {
        if (Platform.portable()) {
            return;
        }
        Linux.wakeAll(address);
    }

    /**
     * Wakes one process or thread sleeping on the word at {@code address}, if any: for waiters
     * of whom only one can proceed.
     *
     * @param address the word's address
     */
    public static void wakeOne(long address) {
        if (Platform.portable()) {
            return;
        }
        Linux.wake(address, 1);
    }

    /** The system calls, in a class of their own so that the portable layer never loads jnr-ffi. */
    private static final class Linux {
        private static final long FUTEX_WAIT = 0;
        private static final long FUTEX_WAKE = 1;

        /** {@code struct timespec} of the calling thread: a relative timeout for FUTEX_WAIT. */
        private static final ThreadLocal<Pointer> TIMESPEC = ThreadLocal.withInitial(() -> Native.allocate(16));

        static void await(long address, int expected, long timeoutNanos) {
            Pointer timespec = TIMESPEC.get();
            timespec.putLong(0, timeoutNanos / 1_000_000_000L);
            timespec.putLong(8, timeoutNanos % 1_000_000_000L);
            Native.libc().syscall(Native.SYS_FUTEX, address, FUTEX_WAIT, expected & 0xFFFF_FFFFL, timespec.address(), 0,
                    0);
        }

        static void wakeAll(long address) {
            wake(address, Integer.MAX_VALUE);
        }

        static void wake(long address, int count) {
            Native.libc().syscall(Native.SYS_FUTEX, address, FUTEX_WAKE, count, 0, 0, 0);
        }
    }
}

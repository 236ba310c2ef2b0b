package io.hostsync.internal.os;

import io.hostsync.internal.ffi.PThread;
import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.jspecify.annotations.Nullable;

/**
 * Process-shared glibc {@code pthread_rwlock_t}s in mapped memory, for the {@code posix}
 * backend. {@link #unsupportedReason()} refuses every platform whose lock layout hostsync has not verified:
 * glibc 2.30 or newer (for {@code pthread_rwlock_clock*lock}) on x86-64 or aarch64, where
 * {@code pthread_rwlock_t} is 56 bytes, 8-byte aligned, and {@code pthread_rwlockattr_t} 8 bytes.
 */
public final class Posix {

    /** {@code PTHREAD_PROCESS_SHARED}. */
    public static final int PTHREAD_PROCESS_SHARED = 1;
    /** {@code PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP}: writers first, no recursive readers. */
    public static final int PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP = 2;
    /** {@code CLOCK_MONOTONIC}. */
    public static final int CLOCK_MONOTONIC = 1;
    /** {@code EBUSY}: a try-lock found the lock held. */
    public static final int EBUSY = 16;
    /** {@code ETIMEDOUT}: a timed lock's deadline passed. */
    public static final int ETIMEDOUT = 110;
    /** Alignment of {@code pthread_rwlock_t} on the supported platforms. */
    public static final int RWLOCK_ALIGNMENT = 8;

    private static final int ATTR_SIZE = 8;
    private static final int TIMESPEC_SIZE = 16;
    private static final int MIN_MAJOR = 2;
    private static final int MIN_MINOR = 30;

    private static final ThreadLocal<Pointer> TIMESPEC = ThreadLocal.withInitial(
            () -> Memory.allocateDirect(Holder.RUNTIME, TIMESPEC_SIZE, true));

    private Posix() {
    }

    /**
     * Checks that this platform's {@code pthread_rwlock_t} is the one hostsync lays out.
     *
     * @return {@code null} if supported, else why not
     */
    public static @Nullable String unsupportedReason() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "it needs Linux with glibc, and this is " + os;
        }
        if (!(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64") || arch.equals("arm64"))) {
            return "its pthread_rwlock_t layout is verified on x86-64 and aarch64 only, and this is " + arch;
        }
        String version;
        try {
            version = Holder.PTHREAD.gnu_get_libc_version();
        } catch (LinkageError | RuntimeException e) {
            return "it needs glibc, and this C library has no gnu_get_libc_version (musl, as in Alpine images?)";
        }
        if (version == null || !atLeast(version)) {
            return "it needs glibc " + MIN_MAJOR + "." + MIN_MINOR
                    + " or newer (for pthread_rwlock_clockwrlock), and this is"
                    + " glibc " + version;
        }
        return null;
    }

    private static boolean atLeast(String version) {
        String[] parts = version.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
            return major > MIN_MAJOR || major == MIN_MAJOR && minor >= MIN_MINOR;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** @return the bound functions */
    public static PThread pthread() {
        return Holder.PTHREAD;
    }

    /**
     * Initialises a process-shared, writer-preferring lock at {@code address}.
     *
     * @param address where the {@code pthread_rwlock_t} lives
     * @return 0, or the error number
     */
    public static int initialise(long address) {
        if (address % RWLOCK_ALIGNMENT != 0) {
            throw new IllegalArgumentException("pthread_rwlock_t at " + address + " is not " + RWLOCK_ALIGNMENT
                    + "-byte aligned");
        }
        PThread p = Holder.PTHREAD;
        Pointer attr = Memory.allocateDirect(Holder.RUNTIME, ATTR_SIZE * 8, true);
        int error = p.pthread_rwlockattr_init(attr);
        if (error == 0) {
            error = p.pthread_rwlockattr_setpshared(attr, PTHREAD_PROCESS_SHARED);
        }
        if (error == 0) {
            error = p.pthread_rwlockattr_setkind_np(attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
        }
        if (error == 0) {
            error = p.pthread_rwlock_init(address, attr);
        }
        p.pthread_rwlockattr_destroy(attr);
        return error;
    }

    /**
     * Waits for the read or write lock until {@code sliceNanos} from now on {@code CLOCK_MONOTONIC}.
     *
     * @return 0 when acquired, {@link #ETIMEDOUT}, or another error number
     */
    public static int timedLock(long address, boolean write, long sliceNanos) {
        PThread p = Holder.PTHREAD;
        Pointer ts = TIMESPEC.get();
        p.clock_gettime(CLOCK_MONOTONIC, ts);
        long nanos = ts.getLong(8) + sliceNanos;
        ts.putLong(0, ts.getLong(0) + nanos / 1_000_000_000L);
        ts.putLong(8, nanos % 1_000_000_000L);
        return write ? p.pthread_rwlock_clockwrlock(address, CLOCK_MONOTONIC, ts)
                : p.pthread_rwlock_clockrdlock(address, CLOCK_MONOTONIC, ts);
    }

    private static final class Holder {
        static final PThread PTHREAD = load();
        static final Runtime RUNTIME = Runtime.getRuntime(PTHREAD);

        private static PThread load() {
            try {
                // glibc before 2.34 keeps the pthread functions in libpthread.
                return LibraryLoader.create(PThread.class).failImmediately().library("c").library("pthread").load();
            } catch (LinkageError | RuntimeException e) {
                return LibraryLoader.create(PThread.class).load("c");
            }
        }
    }
}

package io.hostsync;

import io.hostsync.internal.region.RegionLayout;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The implementation behind every {@link RWLock} of a region. Chosen when the region is created
 * ({@link RegionOptions.Builder#backend(Backend)}) and recorded in its header: every process
 * must open the region with the same backend, or opening fails with a
 * {@link RegionMismatchException}. All three give the same {@link RWLock} contract inside a JVM
 * (reentrancy, downgrade, timeouts, interrupts, virtual threads); they differ across processes:
 *
 * <table>
 *   <caption>Backends compared</caption>
 *   <tr><th></th><th>{@link #ROBUST}</th><th>{@link #POSIX}</th><th>{@link #FILE}</th></tr>
 *   <tr><td>holder killed with SIGKILL</td><td>recovered; data marked possibly torn</td>
 *       <td>not recoverable: waiters get {@link LockHolderDiedException}; an operator
 *       {@linkplain SharedRegion#resetLock(String) resets} the lock</td>
 *       <td>released by the kernel; data marked possibly torn</td></tr>
 *   <tr><td>processes in different PID namespaces</td><td>yes</td>
 *       <td>refused ({@link BackendRefusedException})</td><td>yes</td></tr>
 *   <tr><td>fairness</td><td>both ways</td><td>writers first</td><td>both ways (a gate byte and a readers byte)</td></tr>
 *   <tr><td>C and Python programs can take the same lock</td><td>by following the protocol in
 *       docs/design.md</td><td>yes: {@code pthread_rwlock_*} on the documented offset</td>
 *       <td>yes: {@code fcntl} OFD locks on the documented bytes</td></tr>
 *   <tr><td>cost of an uncontended read lock + unlock</td><td>nanoseconds</td>
 *       <td>tens of nanoseconds (native call)</td><td>microseconds (system calls) for the
 *       first reader of a process, nanoseconds while the process already reads</td></tr>
 * </table>
 */
public enum Backend {

    /** hostsync's own lock: crash-safe, fair both ways, works across PID namespaces. The default on Linux. */
    ROBUST(RegionLayout.BACKEND_ROBUST),

    /**
     * A glibc {@code pthread_rwlock_t} in the region, process-shared, writer-preferring: what C
     * and Python programs can share. Not crash-safe and not usable across PID namespaces; both
     * are detected and reported, never a silent hang.
     */
    POSIX(RegionLayout.BACKEND_POSIX),

    /** Byte-range locks the kernel releases when a process dies: portable, crash-safe, slower. */
    FILE(RegionLayout.BACKEND_FILE);

    private final int code;

    Backend(int code) {
        this.code = code;
    }

    /**
     * The value stored in the region header ({@code docs/layout.md}).
     *
     * @return 0 for robust, 1 for posix, 2 for file
     */
    public int code() {
        return code;
    }

    /** @return the backend's name in configuration: {@code robust}, {@code posix} or {@code file} */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The backend used when none is configured: {@link #ROBUST} on Linux, {@link #FILE} elsewhere.
     *
     * @return the platform's default backend
     */
    public static Backend platformDefault() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux") ? ROBUST : FILE;
    }

    /**
     * Parses a configured backend name, ignoring case.
     *
     * @param name {@code robust}, {@code posix} or {@code file}
     * @return the backend
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static Backend fromConfigName(String name) {
        for (Backend backend : values()) {
            if (backend.configName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return backend;
            }
        }
        throw new IllegalArgumentException("Unknown lock backend '" + name + "': use robust (crash-safe, the default on"
                + " Linux), posix (a pthread_rwlock shared with C and Python programs) or file (kernel byte-range locks)");
    }

    /**
     * Finds the backend a region header names.
     *
     * @param code the value stored in the header
     * @return the backend, or {@code null} for an unknown code
     */
    public static @Nullable Backend fromCode(int code) {
        for (Backend backend : values()) {
            if (backend.code == code) {
                return backend;
            }
        }
        return null;
    }
}

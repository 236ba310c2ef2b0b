package io.hostsync.annotation;

/**
 * What a method annotated with {@link ReadGuarded} or {@link WriteGuarded} does when its lock
 * cannot be acquired within the timeout.
 */
public enum OnTimeout {

    /**
     * Throw a {@link io.hostsync.LockTimeoutException} naming the region, the lock, the mode and
     * the timeout. The method is not called.
     */
    THROW,

    /**
     * Skip the call: return {@code null}, or an empty {@link java.util.Optional} (or
     * {@code OptionalInt}, {@code OptionalLong}, {@code OptionalDouble}) for such a return type,
     * as ShedLock does for a job another instance runs. Refused at startup on a method that
     * returns a primitive, as there is no value that says "skipped".
     */
    SKIP
}

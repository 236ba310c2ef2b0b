package io.hostsync.autoconfigure.cohort;

import java.time.Duration;

/**
 * How the cohort locks of a region behave.
 *
 * @param leaseTime how long a remote lease lasts unless renewed; renewed every third of it while
 *     the host uses the lock
 * @param localHandoffs how many times in a row the remote hold may pass to another process of
 *     the host before it is released so that other hosts get their turn
 * @param acquireTimeout how long {@code lock()} waits before it throws
 * @param retryInterval the pause between two attempts at a remote lease another host holds (less
 *     where the engine notifies releases, {@link RemoteLease#awaitRelease}), and half the time a host
 *     stays away after a fairness release (less where the engine enforces the yield)
 */
public record CohortSettings(Duration leaseTime, int localHandoffs, Duration acquireTimeout, Duration retryInterval) {

    /** The settings of {@code hostsync.cohort.*} when none is set. */
    public static final CohortSettings DEFAULTS = new CohortSettings(Duration.ofSeconds(30), 16, Duration.ofSeconds(30),
            Duration.ofMillis(20));

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value and the property to fix
     */
    public CohortSettings {
        if (leaseTime.toMillis() < 300) {
            throw new IllegalArgumentException("hostsync.cohort.lease-time=" + leaseTime
                    + " is too short: a lease is renewed every third of it. Use at least 300ms (30s is the default).");
        }
        if (localHandoffs < 0) {
            throw new IllegalArgumentException("hostsync.cohort.local-handoffs=" + localHandoffs
                    + " is negative. Use 0 to release the remote lock at every release, or a bound such as 16.");
        }
        if (acquireTimeout.isNegative() || retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("hostsync.cohort.acquire-timeout=" + acquireTimeout
                    + " and hostsync.cohort.retry-interval=" + retryInterval
                    + " must not be negative, and the retry interval not zero.");
        }
    }

    /**
     * How much of the lease must remain for a process to rely on the host's remote hold without
     * asking the engine: a third of the lease, which also bounds the clock difference between hosts
     * that the lock tolerates.
     *
     * @return the margin
     */
    public Duration margin() {
        return this.leaseTime.dividedBy(3);
    }
}

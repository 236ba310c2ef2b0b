package io.hostsync.autoconfigure.cohort;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An exclusive lease on a key in a lock engine that every host reaches (a table in the
 * application's database, a key in Redis), held in the name of one host: any process of that
 * host may renew or release what another of its processes acquired. That is what lets a
 * {@link CohortLock} pass the remote hold between the processes of a host, and survive the
 * death of the process that acquired it.
 */
public interface RemoteLease {

    /**
     * Takes the key for this host if it is free, expired, or this host's already (then its
     * lease is extended).
     *
     * @param key the lock key
     * @param leaseTime how long the lease lasts unless renewed
     * @return whether this host holds the key now
     * @throws RuntimeException if the engine cannot be reached
     */
    boolean acquire(String key, Duration leaseTime);

    /**
     * Extends this host's lease on the key.
     *
     * @param key the lock key
     * @param leaseTime the new lease time, from now
     * @return false if the key is no longer this host's: the lease was lost
     * @throws RuntimeException if the engine cannot be reached
     */
    boolean renew(String key, Duration leaseTime);

    /**
     * Releases this host's lease on the key.
     *
     * @param key the lock key
     * @return false if the key was not this host's (any more)
     * @throws RuntimeException if the engine cannot be reached
     */
    boolean release(String key);

    /**
     * Releases this host's lease on the key so that another host gets it: the engine then refuses
     * this host's {@link #acquire acquisitions} of the key until another host has taken it or the
     * yield time has passed, whichever comes first. Only engines whose {@link #yieldsInEngine} is
     * true do so; by default this is a plain {@link #release}, and the {@link CohortLock} keeps the
     * host away by its clock.
     *
     * @param key the lock key
     * @param yieldTime the longest this host is refused the key
     * @return false if the key was not this host's (any more)
     * @throws RuntimeException if the engine cannot be reached
     */
    default boolean releaseYielding(String key, Duration yieldTime) {
        return release(key);
    }

    /**
     * Whether {@link #releaseYielding} keeps this host away in the engine, until another host took
     * the key; if not, the {@link CohortLock} keeps it away for the whole yield time.
     *
     * @param key the lock key
     * @return whether the engine enforces the yield
     */
    default boolean yieldsInEngine(String key) {
        return false;
    }

    /**
     * Waits for the key to be released by its holder: returns when it may have been released (a
     * hint only: the next {@link #acquire} decides), or after the timeout. A release that happens
     * after this thread's last failed {@link #acquire} of the key, before this call, is not missed
     * by engines that notify releases. By default, with no notification, it sleeps for the timeout
     * (the caller polls).
     *
     * @param key the lock key
     * @param timeoutNanos the longest wait, in nanoseconds
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    default void awaitRelease(String key, long timeoutNanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(timeoutNanos);
    }

    /**
     * A description for messages, such as {@code the INT_LOCK table (region DEFAULT)}.
     *
     * @return the description
     */
    String describe();

    /**
     * Creates the leases of one host, given its identity: the engine's side of a cohort lock.
     * Closing it stops what it runs for all its leases (Redis: the subscription to release
     * notifications); a Spring bean of this type is closed with its context.
     */
    @FunctionalInterface
    interface Factory extends AutoCloseable {

        /**
         * Returns the leases held in the name of the given host.
         *
         * @param hostId the host's identity, the same for all its processes
         * @return the host's leases
         */
        RemoteLease forHost(String hostId);

        /** Stops what the leases run in the background; by default, nothing. */
        @Override
        default void close() {
        }
    }
}

package io.hostsync.autoconfigure.cohort;

import java.time.Duration;

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
     * A description for messages, such as {@code the INT_LOCK table (region DEFAULT)}.
     *
     * @return the description
     */
    String describe();

    /**
     * Creates the leases of one host, given its identity: the engine's side of a cohort lock.
     */
    @FunctionalInterface
    interface Factory {

        /**
         * Returns the leases held in the name of the given host.
         *
         * @param hostId the host's identity, the same for all its processes
         * @return the host's leases
         */
        RemoteLease forHost(String hostId);
    }
}

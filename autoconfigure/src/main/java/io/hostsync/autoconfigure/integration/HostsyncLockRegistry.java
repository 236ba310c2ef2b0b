package io.hostsync.autoconfigure.integration;

import java.util.Objects;
import java.util.concurrent.locks.Lock;

import io.hostsync.Names;
import io.hostsync.SharedRegion;

import org.springframework.integration.support.locks.LockRegistry;

/**
 * A Spring Integration {@link LockRegistry} whose locks are hostsync locks: host-wide, shared by
 * every process on the host that opens the same region, and released by the kernel-confirmed
 * recovery of hostsync when a holder dies (no lease to expire while work goes on). The lock for
 * a key is the write lock of the region's keyed lock for that key, in the family
 * {@value #DEFAULT_FAMILY} (or the one given), so it excludes every other holder of the key, in
 * this JVM and in others.
 *
 * <p>Any key will do, one per invoice or per user: a key's lock takes one of the region's lock
 * records only while some thread holds or waits for it ({@code max-locks} bounds the keys held at
 * once, not the keys ever used). A key is the UTF-8 bytes of its {@code toString()}, of any
 * length: stored whole when it fits a lock record with the family name, so different keys never
 * share a lock, else as its SHA-256 digest (see {@link SharedRegion#lock(String, Object)}).
 */
public final class HostsyncLockRegistry implements LockRegistry<Lock> {

    /** The family of keyed locks the registry's keys belong to, unless another is given. */
    public static final String DEFAULT_FAMILY = "lock-registry";

    private final SharedRegion region;

    private final String family;

    /**
     * Creates a registry over the keyed locks of the family {@value #DEFAULT_FAMILY} of a region.
     *
     * @param region the region whose locks to hand out
     */
    public HostsyncLockRegistry(SharedRegion region) {
        this(region, DEFAULT_FAMILY);
    }

    /**
     * Creates a registry over the keyed locks of one family of a region.
     *
     * @param region the region whose locks to hand out
     * @param family the family: 1 to {@value Names#MAX_LOCK_LENGTH} characters of
     *     {@value Names#CHARACTERS}
     */
    public HostsyncLockRegistry(SharedRegion region, String family) {
        this.region = Objects.requireNonNull(region, "region");
        this.family = Names.requireLockName(family, region.name());
    }

    /**
     * Returns the lock for a key: the write lock of the region's keyed lock for that key.
     *
     * @param lockKey the key; its {@code toString()} (or a {@code byte[]} itself) identifies it
     * @return the lock, reentrant for the thread that holds it
     * @throws NullPointerException if the key is null
     * @throws io.hostsync.RegionFullException when locking, if every lock record is in use then
     */
    @Override
    public Lock obtain(Object lockKey) {
        return this.region.lock(this.family, Objects.requireNonNull(lockKey, "lockKey")).writeLock();
    }

    /**
     * Returns the region whose locks this registry hands out.
     *
     * @return the region
     */
    public SharedRegion getRegion() {
        return this.region;
    }

    /**
     * Returns the family of keyed locks this registry hands out.
     *
     * @return the family's name
     */
    public String getFamily() {
        return this.family;
    }

    @Override
    public String toString() {
        return "HostsyncLockRegistry over the keyed locks '" + this.family + "' of region '" + this.region.name() + "'";
    }
}

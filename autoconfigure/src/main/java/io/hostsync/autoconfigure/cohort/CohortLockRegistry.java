package io.hostsync.autoconfigure.cohort;

import java.util.Objects;
import java.util.concurrent.locks.Lock;

import io.hostsync.autoconfigure.integration.HostsyncLockRegistry;

import org.springframework.integration.support.locks.LockRegistry;

/**
 * A Spring Integration {@link LockRegistry} whose locks are cohort locks of one region: the lock
 * for a key is the write lock of the region's keyed cohort lock of that key in the family
 * {@value HostsyncLockRegistry#DEFAULT_FAMILY} (or the one given), exclusive across hosts. Any key
 * is accepted, as by {@link HostsyncLockRegistry}, whose host lock it shares: a key's lock takes
 * room in the region only while it is held or waited for, and its lease in the lock engine only
 * while the host uses it.
 */
public final class CohortLockRegistry implements LockRegistry<Lock> {

    private final HostsyncCohorts cohorts;

    private final String region;

    private final String family;

    /**
     * Creates the registry over the family {@value HostsyncLockRegistry#DEFAULT_FAMILY}.
     *
     * @param cohorts the cohort locks
     * @param region the region whose locks to hand out
     */
    public CohortLockRegistry(HostsyncCohorts cohorts, String region) {
        this(cohorts, region, HostsyncLockRegistry.DEFAULT_FAMILY);
    }

    /**
     * Creates the registry over one family of keyed cohort locks.
     *
     * @param cohorts the cohort locks
     * @param region the region whose locks to hand out
     * @param family the lock family of the keys
     */
    public CohortLockRegistry(HostsyncCohorts cohorts, String region, String family) {
        this.cohorts = cohorts;
        this.region = region;
        this.family = family;
    }

    @Override
    public Lock obtain(Object lockKey) {
        return this.cohorts.lock(this.region, this.family, Objects.requireNonNull(lockKey, "lockKey")).writeLock();
    }
}

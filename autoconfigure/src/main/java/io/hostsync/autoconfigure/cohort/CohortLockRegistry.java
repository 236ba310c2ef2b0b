package io.hostsync.autoconfigure.cohort;

import java.util.Objects;
import java.util.concurrent.locks.Lock;

import io.hostsync.Names;

import org.springframework.integration.support.locks.LockRegistry;

/**
 * A Spring Integration {@link LockRegistry} whose locks are cohort locks of one region: the lock
 * for a key is the write lock of the region's cohort lock of that name, exclusive across hosts.
 * Keys are lock names (1 to {@value Names#MAX_LOCK_LENGTH} characters of {@value Names#CHARACTERS}),
 * each taking one of the region's lock records for good.
 */
public final class CohortLockRegistry implements LockRegistry<Lock> {

    private final HostsyncCohorts cohorts;

    private final String region;

    /**
     * Creates the registry.
     *
     * @param cohorts the cohort locks
     * @param region the region whose locks to hand out
     */
    public CohortLockRegistry(HostsyncCohorts cohorts, String region) {
        this.cohorts = cohorts;
        this.region = region;
    }

    @Override
    public Lock obtain(Object lockKey) {
        String name = Objects.requireNonNull(lockKey, "lockKey").toString();
        Names.requireLockName(name, this.region);
        return this.cohorts.lock(this.region, name).writeLock();
    }
}

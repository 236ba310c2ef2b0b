package io.hostsync.autoconfigure.cohort;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the cohort locks: DOWN while the lock engine's last call failed for any lock opened so
 * far (the database or Redis is unreachable: acquisitions that need a lease time out), with each
 * lock's failure and whether its host holds the lease; UP otherwise.
 */
public final class CohortHealthIndicator implements HealthIndicator {

    private final HostsyncCohorts cohorts;

    /**
     * Creates the indicator.
     *
     * @param cohorts the cohort locks
     */
    public CohortHealthIndicator(HostsyncCohorts cohorts) {
        this.cohorts = cohorts;
    }

    @Override
    public Health health() {
        boolean down = false;
        Map<String, Object> locks = new LinkedHashMap<>();
        for (CohortLock lock : this.cohorts.locks()) {
            RuntimeException failure = lock.lastFailure();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("remoteKey", lock.remoteKey());
            details.put("heldByHost", lock.isHeldByHost());
            if (failure != null) {
                down = true;
                details.put("failure", failure.toString());
            }
            locks.put(lock.hostLock().regionName() + ":" + lock.hostLock().name(), details);
        }
        return (down ? Health.down() : Health.up()).withDetail("locks", locks).build();
    }
}

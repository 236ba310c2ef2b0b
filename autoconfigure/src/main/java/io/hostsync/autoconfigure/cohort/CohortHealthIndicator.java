package io.hostsync.autoconfigure.cohort;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the cohort locks: DOWN while the lock engine's last call failed for any lock or family
 * of keyed locks opened so far (the database or Redis is unreachable: acquisitions that need a lease
 * time out), with each lock's failure and whether its host holds the lease, and for each family
 * ({@code <region>:<family>[*]}) its failure and how many of its keys the host uses; UP otherwise.
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
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("remoteKey", lock.remoteKey());
            details.put("heldByHost", lock.isHeldByHost());
            down |= failure(lock.counters(), details);
            locks.put(lock.hostLock().regionName() + ":" + lock.hostLock().name(), details);
        }
        for (CohortCounters counters : this.cohorts.counters()) {
            String family = counters.family;
            if (family != null) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("keysInUse", this.cohorts.keyedRecords(counters.region, family));
                down |= failure(counters, details);
                locks.put(counters.region + ":" + counters.name, details);
            }
        }
        return (down ? Health.down() : Health.up()).withDetail("locks", locks).build();
    }

    private static boolean failure(CohortCounters counters, Map<String, Object> details) {
        RuntimeException failure = counters.lastFailure.get();
        if (failure != null) {
            details.put("failure", failure.toString());
        }
        return failure != null;
    }
}

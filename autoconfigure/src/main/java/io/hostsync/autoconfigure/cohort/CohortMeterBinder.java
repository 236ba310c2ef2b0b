package io.hostsync.autoconfigure.cohort;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of the cohort locks, per region and lock, registered when a lock opens: remote
 * acquisitions, local handoffs, time waited for remote leases, engine failures, leases lost and
 * fairness releases. What this process counted; sum over the processes of a host for the host.
 */
public final class CohortMeterBinder implements MeterBinder {

    /** Acquisitions that took the remote lease. */
    public static final String REMOTE_ACQUISITIONS = "hostsync.cohort.remote.acquisitions";

    /** Acquisitions that ran under the host's remote hold. */
    public static final String LOCAL_HANDOFFS = "hostsync.cohort.local.handoffs";

    /** Seconds waited for remote leases. */
    public static final String REMOTE_WAIT = "hostsync.cohort.remote.wait";

    /** Calls to the lock engine that failed. */
    public static final String REMOTE_FAILURES = "hostsync.cohort.remote.failures";

    /** Renewals or releases that found the lease no longer the host's. */
    public static final String LEASES_LOST = "hostsync.cohort.leases.lost";

    /** Remote releases forced by the local handoff bound. */
    public static final String FAIRNESS_RELEASES = "hostsync.cohort.fairness.releases";

    private final HostsyncCohorts cohorts;

    /**
     * Creates the binder.
     *
     * @param cohorts the cohort locks
     */
    public CohortMeterBinder(HostsyncCohorts cohorts) {
        this.cohorts = cohorts;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.cohorts.onOpen((lock) -> {
            Tags tags = Tags.of("region", lock.hostLock().regionName(), "lock", lock.hostLock().name());
            counter(registry, REMOTE_ACQUISITIONS, "Acquisitions that took the remote lease", tags, lock,
                    (s) -> s.remoteAcquisitions());
            counter(registry, LOCAL_HANDOFFS, "Acquisitions that ran under the host's remote hold", tags, lock,
                    (s) -> s.localHandoffs());
            counter(registry, REMOTE_FAILURES, "Calls to the lock engine that failed", tags, lock,
                    (s) -> s.remoteFailures());
            counter(registry, LEASES_LOST, "Renewals or releases that found the lease no longer the host's", tags, lock,
                    (s) -> s.leasesLost());
            counter(registry, FAIRNESS_RELEASES, "Remote releases forced by the local handoff bound", tags, lock,
                    (s) -> s.fairnessReleases());
            ToDoubleFunction<CohortLock> waited = (cohortLock) -> cohortLock.statistics().remoteWait().toNanos()
                    / (double) TimeUnit.SECONDS.toNanos(1);
            FunctionCounter.builder(REMOTE_WAIT, lock, waited).baseUnit("seconds")
                    .description("Time waited for remote leases").tags(tags).register(registry);
        });
    }

    private static void counter(MeterRegistry registry, String name, String description, Tags tags, CohortLock lock,
            ToLongFunction<CohortStatistics> value) {
        FunctionCounter.builder(name, lock, (cohortLock) -> value.applyAsLong(cohortLock.statistics()))
                .description(description).tags(tags).register(registry);
    }
}

package io.hostsync.autoconfigure.cohort;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of the cohort locks, per region and lock, registered when a lock opens (tag {@code lock}:
 * the lock's name; for keyed locks, one set per family, tagged with the family's name followed by
 * {@code [*]}, such as {@code orders[*]}, registered when this process first uses the family):
 * remote acquisitions, local handoffs, time waited for remote leases, engine failures, leases lost
 * and fairness releases. What this process counted; sum over the processes of a host for the host.
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
        this.cohorts.onCounters((counters) -> {
            Tags tags = Tags.of("region", counters.region, "lock", counters.name);
            counter(registry, REMOTE_ACQUISITIONS, "Acquisitions that took the remote lease", tags,
                    counters.remoteAcquisitions);
            counter(registry, LOCAL_HANDOFFS, "Acquisitions that ran under the host's remote hold", tags,
                    counters.localHandoffs);
            counter(registry, REMOTE_FAILURES, "Calls to the lock engine that failed", tags, counters.remoteFailures);
            counter(registry, LEASES_LOST, "Renewals or releases that found the lease no longer the host's", tags,
                    counters.leasesLost);
            counter(registry, FAIRNESS_RELEASES, "Remote releases forced by the local handoff bound", tags,
                    counters.fairnessReleases);
            FunctionCounter
                    .builder(REMOTE_WAIT, counters.remoteWaitNanos,
                            (nanos) -> nanos.sum() / (double) TimeUnit.SECONDS.toNanos(1))
                    .baseUnit("seconds").description("Time waited for remote leases").tags(tags).register(registry);
        });
    }

    private static void counter(MeterRegistry registry, String name, String description, Tags tags, LongAdder count) {
        FunctionCounter.builder(name, count, LongAdder::sum).description(description).tags(tags).register(registry);
    }
}

package io.hostsync.autoconfigure.cohort;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * What one process counts for a named cohort lock, or for every key of a family of keyed ones
 * together (a keyed lock is a new instance per use, so its family keeps the counts): what
 * {@link CohortLock#statistics()}, the meters and the health contributor read.
 */
final class CohortCounters {

    /** The suffix of a family's name in statistics, meters and health: {@code orders[*]}. */
    static final String FAMILY_SUFFIX = "[*]";

    final String region;

    /** The lock's name, or the family's name followed by {@value #FAMILY_SUFFIX}. */
    final String name;

    /** The family's name, or null for a named lock. */
    final @Nullable String family;

    final LongAdder remoteAcquisitions = new LongAdder();

    final LongAdder localHandoffs = new LongAdder();

    final LongAdder remoteWaitNanos = new LongAdder();

    final LongAdder remoteFailures = new LongAdder();

    final LongAdder leasesLost = new LongAdder();

    final LongAdder fairnessReleases = new LongAdder();

    /** The engine's last failure, until a call to it succeeds again. */
    final AtomicReference<@Nullable RuntimeException> lastFailure = new AtomicReference<>();

    private CohortCounters(String region, String name, @Nullable String family) {
        this.region = region;
        this.name = name;
        this.family = family;
    }

    static CohortCounters named(String region, String lock) {
        return new CohortCounters(region, lock, null);
    }

    static CohortCounters family(String region, String family) {
        return new CohortCounters(region, family + FAMILY_SUFFIX, family);
    }

    CohortStatistics statistics() {
        return new CohortStatistics(this.name, this.remoteAcquisitions.sum(), this.localHandoffs.sum(),
                Duration.ofNanos(this.remoteWaitNanos.sum()), this.remoteFailures.sum(), this.leasesLost.sum(),
                this.fairnessReleases.sum());
    }
}

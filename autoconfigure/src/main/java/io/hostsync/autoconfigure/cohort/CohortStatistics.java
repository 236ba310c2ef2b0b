package io.hostsync.autoconfigure.cohort;

import java.time.Duration;

/**
 * What one process counted for one cohort lock since it opened it.
 *
 * @param lock the lock's name
 * @param remoteAcquisitions acquisitions that had to take the remote lease
 * @param localHandoffs acquisitions that ran under the host's remote hold, without a remote call
 * @param remoteWait time spent waiting for remote leases, by acquisitions that took one
 * @param remoteFailures calls to the engine that failed (unreachable, errors)
 * @param leasesLost renewals that found the lease no longer the host's
 * @param fairnessReleases remote releases forced by the local handoff bound while processes of
 *     this host were waiting
 */
public record CohortStatistics(String lock, long remoteAcquisitions, long localHandoffs, Duration remoteWait,
        long remoteFailures, long leasesLost, long fairnessReleases) {
}

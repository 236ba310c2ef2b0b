package io.hostsync.sample;

import java.nio.file.Path;

import io.hostsync.SharedRegion;
import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.cohort.CohortLock;
import io.hostsync.autoconfigure.cohort.CohortStatistics;
import io.hostsync.autoconfigure.cohort.HostsyncCohorts;

import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * A counter for the whole cluster, kept in Redis, with the profile {@code cohort} only: what a
 * host-wide lock cannot protect once instances run on several hosts.
 *
 * <p>An increment reads the value and writes it back plus one (GET, then SET: a read-modify-write,
 * as real code that computes the new value does, not Redis's atomic INCR), so two instances
 * incrementing at once would lose an update. Each increment therefore holds the write lock of the
 * cohort lock {@value #LOCK}: the host's hostsync lock plus a lease in Redis held in the name of
 * the host, so that one increment runs at a time across every process of every host, while the
 * processes of a host pass the lease among themselves (local handoffs) instead of going back to
 * Redis each time.
 */
@Service
@Profile("cohort")
public class ClusterCounter {

    /** The cohort lock every increment holds. */
    public static final String LOCK = "cluster-counter";

    /** The Redis key of the counter. */
    public static final String KEY = "hostsync-sample:cluster-counter";

    private final StringRedisTemplate redis;

    private final CohortLock lock;

    private final Path hostGroup;

    /**
     * Opens the counter's cohort lock, so that its meters show from the start.
     *
     * @param redis the Redis the counter is kept in
     * @param cohorts the cohort locks
     * @param region the sample's region
     */
    public ClusterCounter(StringRedisTemplate redis, HostsyncCohorts cohorts, SharedRegion region) {
        this.redis = redis;
        this.lock = cohorts.lock(region.name(), LOCK);
        this.hostGroup = region.file().toAbsolutePath().getParent();
    }

    /**
     * Adds one to the counter, exclusive across every instance of every host.
     *
     * @return the value after the increment
     * @throws io.hostsync.LockTimeoutException if other increments held the lock all of
     *     {@code cluster.lock-timeout}
     */
    @WriteGuarded(lock = LOCK, timeout = "${cluster.lock-timeout:30s}")
    public long increment() {
        String current = this.redis.opsForValue().get(KEY);
        long next = ((current != null) ? Long.parseLong(current) : 0) + 1;
        this.redis.opsForValue().set(KEY, Long.toString(next));
        return next;
    }

    /**
     * Reads the counter, without a lock: a value some increment wrote.
     *
     * @return the counter, 0 if never incremented
     */
    public long value() {
        String current = this.redis.opsForValue().get(KEY);
        return (current != null) ? Long.parseLong(current) : 0;
    }

    /**
     * The host group this instance belongs to: the directory of its region, which every instance of
     * a host shares (on real hosts, one per host; {@code scripts/run-two-hosts.sh} simulates two hosts
     * with two directories).
     *
     * @return the region's directory
     */
    public Path hostGroup() {
        return this.hostGroup;
    }

    /**
     * What this process counted on the counter's cohort lock (sum over the instances of a host for
     * the host): the meters {@code hostsync.cohort.remote.acquisitions} and
     * {@code hostsync.cohort.local.handoffs}, among others.
     *
     * @return the lock's statistics
     */
    public CohortStatistics statistics() {
        return this.lock.statistics();
    }
}

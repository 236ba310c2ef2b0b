package io.hostsync.autoconfigure.cohort;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedLongArray;

/**
 * The cohort locks of one region: one {@link CohortLock} per lock name, all holding their remote
 * leases under the host's identity, and a daemon thread that renews the leases the host uses.
 * Close it before the region.
 */
public final class CohortLocks implements AutoCloseable {

    /** The suffix of the hostsync lock that guards a cohort lock's record. */
    static final String GATE_SUFFIX = ".cohort";

    private static final String HOST_ENTRY = "hostsync.cohort.host";

    private final SharedRegion region;

    private final RemoteLease remote;

    private final CohortSettings settings;

    private final String hostId;

    private final Map<String, CohortLock> locks = new ConcurrentHashMap<>();

    private final ScheduledExecutorService maintenance;

    /**
     * Opens the cohort locks of a region.
     *
     * @param region the host's region
     * @param leases the lock engine's leases
     * @param settings how the locks behave
     */
    public CohortLocks(SharedRegion region, RemoteLease.Factory leases, CohortSettings settings) {
        this.region = region;
        this.settings = settings;
        this.hostId = hostId(region);
        this.remote = leases.forHost(this.hostId);
        this.maintenance = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "hostsync-cohort-" + region.name());
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(settings.leaseTime().toMillis() / 3 / 2, 1);
        this.maintenance.scheduleWithFixedDelay(this::maintain, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * The identity under which this host holds its leases: random, created by the first process to
     * ask and kept in the region, so that the region's processes share it and no other host has it.
     */
    private static String hostId(SharedRegion region) {
        SharedLongArray entry = region.state().longArray(HOST_ENTRY, 1);
        long id = entry.get(0);
        if (id == 0) {
            long candidate = new SecureRandom().nextLong() | 1;
            id = entry.compareAndSet(0, 0, candidate) ? candidate : entry.get(0);
        }
        // A UUID: Spring Integration's lock table keeps client ids in a CHAR(36).
        return UUID.nameUUIDFromBytes(("hostsync:" + region.name() + ":" + Long.toHexString(id))
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Returns the cohort lock of a name, whose remote key is {@code <region>:<name>}.
     *
     * @param name the lock's name in the region
     * @return the lock
     */
    public CohortLock lock(String name) {
        return this.locks.computeIfAbsent(name, this::open);
    }

    private CohortLock open(String name) {
        RWLock local = this.region.lock(name);
        RWLock gate = this.region.lock(name + GATE_SUFFIX);
        SharedLongArray record = this.region.state().longArray("hostsync.cohort." + name, CohortLock.RECORD_LENGTH);
        return new CohortLock(local, gate, record, this.remote, this.region.name() + ":" + name, this.settings);
    }

    /**
     * The locks opened so far.
     *
     * @return the locks
     */
    public Collection<CohortLock> locks() {
        return List.copyOf(this.locks.values());
    }

    /**
     * The host's identity in the lock engine.
     *
     * @return the identity, such as a UUID
     */
    public String hostId() {
        return this.hostId;
    }

    /**
     * The lock engine's leases.
     *
     * @return the leases
     */
    public RemoteLease remote() {
        return this.remote;
    }

    private void maintain() {
        for (CohortLock lock : this.locks.values()) {
            try {
                lock.maintain();
            } catch (RuntimeException ex) {
                // counted by the lock; the next round tries again
            }
        }
    }

    @Override
    public void close() {
        this.maintenance.shutdownNow();
    }
}

package io.hostsync.autoconfigure.metrics;

/**
 * The names, tag keys and tag values of every meter hostsync registers, in one place, so that
 * dashboards, alerts and docs/operations.md can rely on them.
 *
 * <p>No meter is ever tagged by process id or thread: every container's JVM may be pid 1, and a
 * process's part is told apart by {@value #TAG_SCOPE}{@code =}{@value #SCOPE_PROCESS} instead.
 * Meters with {@value #TAG_SCOPE}{@code =}{@value #SCOPE_HOST} are read from the shared region,
 * so every instance on the host reports the same value for the whole host.
 */
public final class HostsyncMeterNames {

    /** Timer of lock acquisitions: how many, and the time spent waiting by those that waited. */
    public static final String LOCK_ACQUIRE = "hostsync.lock.acquire";

    /** Timer of how long guarded calls of this process waited for a lock, by mode and outcome. */
    public static final String LOCK_WAIT = "hostsync.lock.wait";

    /** Timer of how long guarded calls of this process held a lock, by mode. */
    public static final String LOCK_HOLD = "hostsync.lock.hold";

    /** Gauge of threads waiting for a lock now, by mode. */
    public static final String LOCK_WAITING = "hostsync.lock.waiting";

    /** Gauge of holds of a lock now: read holds, or 1 while a writer owns it. */
    public static final String LOCK_HOLDERS = "hostsync.lock.holders";

    /** Counter of acquisitions that gave up after their timeout. */
    public static final String LOCK_TIMEOUTS = "hostsync.lock.timeouts";

    /** Counter of dead holders whose share of a lock was reclaimed. */
    public static final String LOCK_RECOVERIES = "hostsync.lock.recoveries";

    /** Counter of acquisitions that had to wait. */
    public static final String LOCK_CONTENDED = "hostsync.lock.contended";

    /** Gauge, 1 while a lock is marked possibly torn (a writer died holding it), else 0. */
    public static final String LOCK_POSSIBLY_TORN = "hostsync.lock.possibly.torn";

    /** Gauge of the region size in bytes. */
    public static final String REGION_SIZE = "hostsync.region.size";

    /** Gauge of the bytes in use in the region. */
    public static final String REGION_USED = "hostsync.region.used";

    /** Gauge of the processes that have the region open now. */
    public static final String REGION_PARTICIPANTS = "hostsync.region.participants";

    /**
     * Counter of the times this process lost the region: its file removed, replaced or truncated
     * while in use (0 or 1 per open region; the health contributor says why).
     */
    public static final String REGION_FAILURES = "hostsync.region.failures";

    /** Gauge of the entries of a shared map now, for the whole host. */
    public static final String MAP_SIZE = "hostsync.map.size";

    /** Gauge of the entries a shared map was created for. */
    public static final String MAP_CAPACITY = "hostsync.map.capacity";

    /** Counter of changes of dead processes that the next writer of their map segment completed. */
    public static final String MAP_RECOVERIES = "hostsync.map.recoveries";

    /** Counter of the operations of this process on a shared map, by operation and result. */
    public static final String MAP_OPERATIONS = "hostsync.map.operations";

    /**
     * Counter of ShedLock jobs this process took over from a holder that had died running them,
     * freed at once rather than after their lockAtMostFor.
     */
    public static final String SHEDLOCK_RECOVERIES = "hostsync.shedlock.recoveries";

    /** Tag key: the region name. */
    public static final String TAG_REGION = "region";

    /** Tag key: the lock name within its region. */
    public static final String TAG_LOCK = "lock";

    /** Tag key: the map name within its region. */
    public static final String TAG_MAP = "map";

    /** Tag key: a shared map's operation, such as {@code get}, {@code put} or {@code compute-if-absent}. */
    public static final String TAG_OPERATION = "operation";

    /** Tag key: {@value #RESULT_HIT} or {@value #RESULT_MISS}. */
    public static final String TAG_RESULT = "result";

    /** Tag value of {@value #TAG_RESULT}: the key had a value when the operation ran. */
    public static final String RESULT_HIT = "hit";

    /** Tag value of {@value #TAG_RESULT}: the key had no value when the operation ran. */
    public static final String RESULT_MISS = "miss";

    /** Tag key: {@value #MODE_READ} or {@value #MODE_WRITE}. */
    public static final String TAG_MODE = "mode";

    /** Tag key: how an acquisition attempt ended, such as {@code acquired} or {@code timeout}. */
    public static final String TAG_OUTCOME = "outcome";

    /** Tag key: {@value #SCOPE_HOST} or {@value #SCOPE_PROCESS}. */
    public static final String TAG_SCOPE = "scope";

    /** Tag value of {@value #TAG_SCOPE}: every process on the host, read from the region. */
    public static final String SCOPE_HOST = "host";

    /** Tag value of {@value #TAG_SCOPE}: this process alone. */
    public static final String SCOPE_PROCESS = "process";

    /** Tag value of {@value #TAG_MODE}: the read lock. */
    public static final String MODE_READ = "read";

    /** Tag value of {@value #TAG_MODE}: the write lock. */
    public static final String MODE_WRITE = "write";

    private HostsyncMeterNames() {
    }
}

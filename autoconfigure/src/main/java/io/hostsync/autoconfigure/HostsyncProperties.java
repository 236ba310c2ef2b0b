package io.hostsync.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hostsync.Backend;
import io.hostsync.RegionOptions;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for hostsync, bound from {@code hostsync.*}.
 *
 * <p>Each entry of {@code hostsync.regions} opens one region, a file shared by every process on
 * the host that opens the same name in the same directory. With no entry, one region named
 * {@value #DEFAULT_REGION_NAME} is opened with the defaults of {@link Region}.
 */
@ConfigurationProperties(HostsyncProperties.PREFIX)
public class HostsyncProperties {

    /** The prefix of every hostsync property. */
    public static final String PREFIX = "hostsync";

    /** The name of the region opened when {@code hostsync.regions} is empty. */
    public static final String DEFAULT_REGION_NAME = "default";

    /**
     * Directory in which region files are created. A tmpfs such as /dev/shm keeps them in
     * memory; every process that shares a region must see the same directory. Where there is no
     * /dev/shm (macOS, Windows), the default is "hostsync" in the temporary directory.
     */
    private Path directory = RegionOptions.DEFAULT_DIRECTORY;

    /**
     * Regions to open, by region name. When none is configured, a region named "default" is
     * opened with default settings.
     */
    private final Map<String, Region> regions = new LinkedHashMap<>();

    /** Metrics settings. */
    private final Metrics metrics = new Metrics();

    /** Observations settings. */
    private final Observations observations = new Observations();

    /** Health settings. */
    private final Health health = new Health();

    /** Settings of the @ReadGuarded and @WriteGuarded annotations. */
    private final Annotations annotations = new Annotations();

    /** Settings of the ShedLock lock provider. */
    private final ShedLock shedlock = new ShedLock();

    /** Settings of cohort locks: a host's lock plus a lease in a database or Redis, across hosts. */
    private final Cohort cohort = new Cohort();

    /** Settings of the host-wide cache manager. */
    private final Cache cache = new Cache();

    /**
     * Returns the directory in which region files are created unless a region overrides it.
     *
     * @return the directory, /dev/shm by default (where it exists)
     */
    public Path getDirectory() {
        return this.directory;
    }

    /**
     * Sets the directory in which region files are created unless a region overrides it.
     *
     * @param directory the directory
     */
    public void setDirectory(Path directory) {
        this.directory = directory;
    }

    /**
     * Returns the configured regions, by region name, in configuration order.
     *
     * @return the mutable map of regions
     */
    public Map<String, Region> getRegions() {
        return this.regions;
    }

    /**
     * Returns the metrics settings.
     *
     * @return the metrics settings
     */
    public Metrics getMetrics() {
        return this.metrics;
    }

    /**
     * Returns the observations settings.
     *
     * @return the observations settings
     */
    public Observations getObservations() {
        return this.observations;
    }

    /**
     * Returns the health settings.
     *
     * @return the health settings
     */
    public Health getHealth() {
        return this.health;
    }

    /**
     * Returns the settings of the {@code @ReadGuarded} and {@code @WriteGuarded} annotations.
     *
     * @return the annotation settings
     */
    public Annotations getAnnotations() {
        return this.annotations;
    }

    /**
     * Returns the settings of the host-wide cache manager.
     *
     * @return the cache settings
     */
    public Cache getCache() {
        return this.cache;
    }

    /**
     * Settings of the host-wide cache manager, bound from {@code hostsync.cache.*}.
     */
    public static class Cache {

        /**
         * Whether to register a CacheManager whose caches every JVM on the host shares, when the
         * application enables caching (@EnableCaching) and defines no CacheManager of its own.
         */
        private boolean enabled;

        /**
         * Whether to cache null values.
         */
        private boolean allowNullValues = true;

        /**
         * Caches, by cache name as in @Cacheable.
         */
        private final Map<String, CacheSettings> caches = new LinkedHashMap<>();

        /**
         * Returns whether the host-wide cache manager is registered.
         *
         * @return false by default
         */
        public boolean isEnabled() {
            return this.enabled;
        }

        /**
         * Sets whether the host-wide cache manager is registered.
         *
         * @param enabled whether to register it
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Returns whether null values are cached.
         *
         * @return true by default
         */
        public boolean isAllowNullValues() {
            return this.allowNullValues;
        }

        /**
         * Sets whether null values are cached.
         *
         * @param allowNullValues whether to cache them
         */
        public void setAllowNullValues(boolean allowNullValues) {
            this.allowNullValues = allowNullValues;
        }

        /**
         * Returns the caches, by cache name.
         *
         * @return the caches
         */
        public Map<String, CacheSettings> getCaches() {
            return this.caches;
        }
    }

    /**
     * Settings of one cache, bound from {@code hostsync.cache.caches.<name>.*}.
     */
    public static class CacheSettings {

        /** The entries a cache holds by default. */
        public static final int DEFAULT_ENTRIES = 10_000;

        /**
         * Region that holds the cache. Every JVM sharing the cache must name the same one; by
         * default, the default region.
         */
        private @Nullable String region;

        /**
         * Entries the cache holds before it evicts the least used. Fixed when the cache is
         * created in the region; every JVM must give the same.
         */
        private int entries = DEFAULT_ENTRIES;

        /**
         * Average size of an entry: its key and encoded value together. The cache reserves room
         * for this many entries of this size; larger values evict more entries. Fixed when the
         * cache is created; every JVM must give the same.
         */
        private DataSize entrySize = DataSize.ofBytes(512);

        /**
         * How long an entry stays after it is written, for every JVM. None by default: entries
         * stay until evicted.
         */
        private @Nullable Duration timeToLive;

        /**
         * Codec of values: "java" for Java serialization, or the name of a bean of type
         * io.hostsync.state.Codec.
         */
        private String codec = "java";

        /**
         * Returns the region that holds the cache.
         *
         * @return the region name, or null for the default region
         */
        public @Nullable String getRegion() {
            return this.region;
        }

        /**
         * Sets the region that holds the cache.
         *
         * @param region the region name
         */
        public void setRegion(@Nullable String region) {
            this.region = region;
        }

        /**
         * Returns the entries the cache holds before it evicts.
         *
         * @return the entries, 10000 by default
         */
        public int getEntries() {
            return this.entries;
        }

        /**
         * Sets the entries the cache holds before it evicts.
         *
         * @param entries the entries
         */
        public void setEntries(int entries) {
            this.entries = entries;
        }

        /**
         * Returns the average size of an entry.
         *
         * @return the size, 512 bytes by default
         */
        public DataSize getEntrySize() {
            return this.entrySize;
        }

        /**
         * Sets the average size of an entry.
         *
         * @param entrySize the size of a key and its encoded value together
         */
        public void setEntrySize(DataSize entrySize) {
            this.entrySize = entrySize;
        }

        /**
         * Returns how long an entry stays after it is written.
         *
         * @return the time to live, or null for none
         */
        public @Nullable Duration getTimeToLive() {
            return this.timeToLive;
        }

        /**
         * Sets how long an entry stays after it is written.
         *
         * @param timeToLive the time to live, or null for none
         */
        public void setTimeToLive(@Nullable Duration timeToLive) {
            this.timeToLive = timeToLive;
        }

        /**
         * Returns the codec of values.
         *
         * @return "java" by default
         */
        public String getCodec() {
            return this.codec;
        }

        /**
         * Sets the codec of values.
         *
         * @param codec "java", or the name of a Codec bean
         */
        public void setCodec(String codec) {
            this.codec = codec;
        }
    }

    /**
     * Returns the settings of the ShedLock lock provider.
     *
     * @return the ShedLock settings
     */
    public ShedLock getShedlock() {
        return this.shedlock;
    }

    /**
     * Settings of the ShedLock lock provider, bound from {@code hostsync.shedlock.*}: the
     * LockProvider auto-configured when ShedLock is on the class path and the application
     * defines none.
     */
    public static class ShedLock {

        /**
         * Name of the region whose shared map holds the job locks. Empty for the default region.
         */
        private @Nullable String region;

        /**
         * Name of the shared map, in the region, that holds one record per job name.
         */
        private String map = "shedlock";

        /**
         * Number of job names the map has room for at once (held, or within their
         * lockAtLeastFor). Every process that shares the region must ask for the same number.
         */
        private int maxJobs = 128;

        /**
         * Returns the name of the region whose map holds the job locks.
         *
         * @return the region name, or {@code null} (or empty) for the default region
         */
        public @Nullable String getRegion() {
            return this.region;
        }

        /**
         * Sets the name of the region whose map holds the job locks.
         *
         * @param region the region name, or {@code null} for the default region
         */
        public void setRegion(@Nullable String region) {
            this.region = region;
        }

        /**
         * Returns the name of the map that holds one record per job name.
         *
         * @return the map name, "shedlock" by default
         */
        public String getMap() {
            return this.map;
        }

        /**
         * Sets the name of the map that holds one record per job name.
         *
         * @param map the map name
         */
        public void setMap(String map) {
            this.map = map;
        }

        /**
         * Returns how many job names the map has room for at once.
         *
         * @return the number, 128 by default
         */
        public int getMaxJobs() {
            return this.maxJobs;
        }

        /**
         * Sets how many job names the map has room for at once.
         *
         * @param maxJobs the number
         */
        public void setMaxJobs(int maxJobs) {
            this.maxJobs = maxJobs;
        }
    }

    /**
     * Metrics settings, bound from {@code hostsync.metrics.*}.
     */
    public static class Metrics {

        /**
         * Whether to register hostsync meters with the application's MeterRegistry.
         */
        private boolean enabled = true;

        /**
         * Returns whether hostsync meters are registered.
         *
         * @return true by default
         */
        public boolean isEnabled() {
            return this.enabled;
        }

        /**
         * Sets whether hostsync meters are registered.
         *
         * @param enabled whether to register them
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * Observations settings, bound from {@code hostsync.observations.*}.
     */
    public static class Observations {

        /**
         * Whether to record guarded calls and their lock waits as observations in the
         * application's ObservationRegistry, so that traces show them as spans.
         */
        private boolean enabled = true;

        /**
         * Returns whether guarded calls and their lock waits are observed.
         *
         * @return true by default
         */
        public boolean isEnabled() {
            return this.enabled;
        }

        /**
         * Sets whether guarded calls and their lock waits are observed.
         *
         * @param enabled whether to observe them
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * Health settings, bound from {@code hostsync.health.*}.
     */
    public static class Health {

        /**
         * Longest time one write hold of a lock may last before the hostsync health
         * contributor reports it as a problem: DOWN when this process holds it, or with scope
         * "host".
         */
        private Duration maxHold = Duration.ofSeconds(30);

        /**
         * Which problems make the hostsync health contributor DOWN: "process" for those of this
         * process (a region it lost, a write hold of its own longer than max-hold), "host" for
         * those of every process on the host (also another process's long write hold, and a
         * lock left possibly torn by a writer that died). The other problems are listed in the
         * details as hostProblems.
         */
        private Scope scope = Scope.PROCESS;

        /**
         * Returns the longest healthy write hold.
         *
         * @return 30 seconds by default
         */
        public Duration getMaxHold() {
            return this.maxHold;
        }

        /**
         * Sets the longest healthy write hold.
         *
         * @param maxHold the duration
         */
        public void setMaxHold(Duration maxHold) {
            this.maxHold = maxHold;
        }

        /**
         * Returns which problems make the health contributor DOWN.
         *
         * @return {@link Scope#PROCESS} by default
         */
        public Scope getScope() {
            return this.scope;
        }

        /**
         * Sets which problems make the health contributor DOWN.
         *
         * @param scope the scope
         */
        public void setScope(Scope scope) {
            this.scope = scope;
        }

        /**
         * Which problems make the health contributor DOWN. Each instance on a host reports the
         * same host-wide facts, so a host-wide problem reported as DOWN takes every instance
         * out of service at once, which repairs nothing.
         */
        public enum Scope {

            /** Only problems of this process: a region it lost, a write hold of its own too long. */
            PROCESS,

            /** Problems of any process on the host, as well: every instance reports them alike. */
            HOST
        }
    }

    /**
     * Returns the settings of cohort locks.
     *
     * @return the cohort settings
     */
    public Cohort getCohort() {
        return this.cohort;
    }

    /**
     * Settings of cohort locks, bound from {@code hostsync.cohort.*}: every named lock of every
     * region becomes a lock across hosts, made of the host's hostsync lock and a lease in the
     * database or Redis (docs/scaling-out.md).
     */
    public static class Cohort {

        /**
         * Lock engine every host reaches: jdbc (the application's DataSource, Spring
         * Integration's INT_LOCK table) or redis (the application's RedisConnectionFactory).
         * None by default: locks are host-wide only.
         */
        private Engine engine = Engine.NONE;

        /**
         * How long a remote lease lasts unless renewed. Renewed every third of it while the host
         * uses the lock; a holder that outlives it while the engine is unreachable is no longer
         * excluded from other hosts.
         */
        private Duration leaseTime = Duration.ofSeconds(30);

        /**
         * How many acquisitions in a row may pass the remote hold to another process of the host
         * before it is released so that other hosts get their turn.
         */
        private int localHandoffs = 16;

        /** How long lock() waits for a cohort lock before it throws. */
        private Duration acquireTimeout = Duration.ofSeconds(30);

        /**
         * Pause between two attempts at a remote lease that another host holds (with the redis
         * engine, the holder's release wakes the waiters sooner), and half of how long a host stays
         * away after a fairness release (with redis, only until another host took the lease).
         */
        private Duration retryInterval = Duration.ofMillis(20);

        /** Prefix of Spring Integration's lock table, for the jdbc engine. */
        private String jdbcTablePrefix = "INT_";

        /** Value of the lock table's REGION column, for the jdbc engine. */
        private String jdbcRegion = "DEFAULT";

        /** Prefix of the Redis keys of the leases, for the redis engine. */
        private String redisRegistryKey = "hostsync-cohort";

        /** @return the lock engine, NONE by default */
        public Engine getEngine() {
            return this.engine;
        }

        /** @param engine the lock engine */
        public void setEngine(Engine engine) {
            this.engine = engine;
        }

        /** @return the lease time, 30 s by default */
        public Duration getLeaseTime() {
            return this.leaseTime;
        }

        /** @param leaseTime the lease time */
        public void setLeaseTime(Duration leaseTime) {
            this.leaseTime = leaseTime;
        }

        /** @return the local handoff bound, 16 by default */
        public int getLocalHandoffs() {
            return this.localHandoffs;
        }

        /** @param localHandoffs the local handoff bound */
        public void setLocalHandoffs(int localHandoffs) {
            this.localHandoffs = localHandoffs;
        }

        /** @return how long lock() waits, 30 s by default */
        public Duration getAcquireTimeout() {
            return this.acquireTimeout;
        }

        /** @param acquireTimeout how long lock() waits */
        public void setAcquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = acquireTimeout;
        }

        /** @return the pause between remote attempts, 20 ms by default */
        public Duration getRetryInterval() {
            return this.retryInterval;
        }

        /** @param retryInterval the pause between remote attempts */
        public void setRetryInterval(Duration retryInterval) {
            this.retryInterval = retryInterval;
        }

        /** @return the lock table's prefix, INT_ by default */
        public String getJdbcTablePrefix() {
            return this.jdbcTablePrefix;
        }

        /** @param jdbcTablePrefix the lock table's prefix */
        public void setJdbcTablePrefix(String jdbcTablePrefix) {
            this.jdbcTablePrefix = jdbcTablePrefix;
        }

        /** @return the lock table's region, DEFAULT by default */
        public String getJdbcRegion() {
            return this.jdbcRegion;
        }

        /** @param jdbcRegion the lock table's region */
        public void setJdbcRegion(String jdbcRegion) {
            this.jdbcRegion = jdbcRegion;
        }

        /** @return the Redis key prefix, hostsync-cohort by default */
        public String getRedisRegistryKey() {
            return this.redisRegistryKey;
        }

        /** @param redisRegistryKey the Redis key prefix */
        public void setRedisRegistryKey(String redisRegistryKey) {
            this.redisRegistryKey = redisRegistryKey;
        }

        /** The lock engines of cohort locks. */
        public enum Engine {

            /** No cohort locks: host-wide locks only. */
            NONE,

            /** The application's DataSource, in Spring Integration's lock table. */
            JDBC,

            /** The application's RedisConnectionFactory. */
            REDIS
        }
    }

    /**
     * Settings of the {@code @ReadGuarded} and {@code @WriteGuarded} annotations, bound from
     * {@code hostsync.annotations.*}.
     */
    public static class Annotations {

        /**
         * The default order of the advisor that guards annotated methods: just ahead of the
         * advisors of @Transactional and @Cacheable (lowest precedence), so that a transaction
         * commits before the lock is released.
         */
        public static final int DEFAULT_ORDER = Integer.MAX_VALUE - 100;

        /**
         * Whether methods annotated with @ReadGuarded or @WriteGuarded take their lock.
         */
        private boolean enabled = true;

        /**
         * Order of the advisor that guards annotated methods among the other advisors of a
         * bean. The default runs it just outside @Transactional and @Cacheable, so that a
         * transaction commits before the lock is released.
         */
        private int order = DEFAULT_ORDER;

        /**
         * Name of a Spring Integration LockRegistry bean (Redis, JDBC, ZooKeeper...) whose
         * locks the annotations take instead of hostsync locks, so that outgrowing one host
         * is a configuration change. Such locks are exclusive: @ReadGuarded methods then
         * exclude each other too. Empty to use hostsync locks.
         */
        private @Nullable String lockRegistry;

        /**
         * Returns whether annotated methods take their lock.
         *
         * @return true by default
         */
        public boolean isEnabled() {
            return this.enabled;
        }

        /**
         * Sets whether annotated methods take their lock.
         *
         * @param enabled whether to guard annotated methods
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Returns the order of the advisor that guards annotated methods.
         *
         * @return the order, {@link #DEFAULT_ORDER} by default
         */
        public int getOrder() {
            return this.order;
        }

        /**
         * Sets the order of the advisor that guards annotated methods.
         *
         * @param order the order; lower values run first, outside higher ones
         */
        public void setOrder(int order) {
            this.order = order;
        }

        /**
         * Returns the name of the LockRegistry bean the annotations use instead of hostsync
         * locks.
         *
         * @return the bean name, or {@code null} (or empty) to use hostsync locks
         */
        public @Nullable String getLockRegistry() {
            return this.lockRegistry;
        }

        /**
         * Sets the name of the LockRegistry bean the annotations use instead of hostsync locks.
         *
         * @param lockRegistry the bean name, or {@code null} to use hostsync locks
         */
        public void setLockRegistry(@Nullable String lockRegistry) {
            this.lockRegistry = lockRegistry;
        }
    }

    /**
     * Settings of one region, bound from {@code hostsync.regions.<name>.*}.
     */
    public static class Region {

        /**
         * How long an annotated method waits for its lock unless configured: long enough for
         * a slow holder, short enough that a stuck one surfaces as an exception.
         */
        public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

        /**
         * Size of the region file. Every process that opens the region must ask for the same
         * size.
         */
        private DataSize size = DataSize.ofBytes(RegionOptions.DEFAULT_SIZE);

        /**
         * Directory of this region's file, overriding hostsync.directory. Use a directory on a
         * persistent file system to keep the region across restarts of the host.
         */
        private @Nullable Path directory;

        /**
         * Permissions of the region file, as an octal string such as "0600" (owner only) or
         * "0660" (owner and group, for processes of several users in one group).
         */
        private String fileMode = "0600";

        /**
         * Whether to open a region file that belongs to another user.
         */
        private boolean allowForeignOwner;

        /**
         * Whether to open a region file whose permissions are looser than file-mode.
         */
        private boolean allowLooserPermissions;

        /**
         * Maximum number of processes that can take part in the region at the same time.
         */
        private int maxParticipants = RegionOptions.DEFAULT_MAX_PARTICIPANTS;

        /**
         * Maximum time to wait for another process that is creating the region to finish.
         */
        private Duration openTimeout = RegionOptions.DEFAULT_OPEN_TIMEOUT;

        /**
         * Whether this is the default region, injected where a SharedRegion, SharedState or
         * RWLock is asked for without a qualifier, and used by annotations that name no
         * region. Needed only when several regions are configured and none is named
         * "default".
         */
        private boolean defaultRegion;

        /**
         * Lock implementation of the region: "robust" (crash-safe, works across containers;
         * the default on Linux), "posix" (a pthread_rwlock that C and Python programs can share;
         * not crash-safe, one PID namespace only) or "file" (kernel byte-range locks:
         * crash-safe, slower; the default elsewhere). Every process must use the same.
         */
        private @Nullable Backend backend;

        /**
         * Maximum number of lock records in the region: the default lock, the named ones, and the
         * keyed locks held or waited for at once. Every process that opens the region must ask
         * for the same number.
         */
        private int maxLocks = RegionOptions.DEFAULT_MAX_LOCKS;

        /**
         * Maximum number of named counters, arrays, values, semaphores and maps in the
         * region. Every process that opens the region must ask for the same number.
         */
        private int maxEntries = RegionOptions.DEFAULT_MAX_ENTRIES;

        /**
         * Named locks to create when the region is opened, besides the default lock, so that
         * a region without room for them fails startup rather than a later call.
         */
        private List<String> locks = new ArrayList<>();

        /**
         * Longest time a @ReadGuarded or @WriteGuarded method of this region waits for its
         * lock when the annotation gives no timeout. Zero tries once without waiting.
         */
        private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;

        /**
         * Returns the size of the region file.
         *
         * @return the size, 1MB by default
         */
        public DataSize getSize() {
            return this.size;
        }

        /**
         * Sets the size of the region file.
         *
         * @param size the size
         */
        public void setSize(DataSize size) {
            this.size = size;
        }

        /**
         * Returns the directory of this region's file, if it overrides
         * {@code hostsync.directory}.
         *
         * @return the directory, or {@code null} to use {@code hostsync.directory}
         */
        public @Nullable Path getDirectory() {
            return this.directory;
        }

        /**
         * Sets the directory of this region's file, overriding {@code hostsync.directory}.
         *
         * @param directory the directory, or {@code null} to use {@code hostsync.directory}
         */
        public void setDirectory(@Nullable Path directory) {
            this.directory = directory;
        }

        /**
         * Returns the permissions of the region file as an octal string.
         *
         * @return the file mode, "0600" by default
         */
        public String getFileMode() {
            return this.fileMode;
        }

        /**
         * Sets the permissions of the region file as an octal string such as "0660". The value
         * is checked when the region is opened.
         *
         * @param fileMode the file mode
         */
        public void setFileMode(String fileMode) {
            this.fileMode = fileMode;
        }

        /**
         * Returns whether a region file owned by another user may be opened.
         *
         * @return {@code true} to allow a foreign owner
         */
        public boolean isAllowForeignOwner() {
            return this.allowForeignOwner;
        }

        /**
         * Sets whether a region file owned by another user may be opened.
         *
         * @param allowForeignOwner {@code true} to allow a foreign owner
         */
        public void setAllowForeignOwner(boolean allowForeignOwner) {
            this.allowForeignOwner = allowForeignOwner;
        }

        /**
         * Returns whether a region file with permissions looser than the file mode may be
         * opened.
         *
         * @return {@code true} to allow looser permissions
         */
        public boolean isAllowLooserPermissions() {
            return this.allowLooserPermissions;
        }

        /**
         * Sets whether a region file with permissions looser than the file mode may be opened.
         *
         * @param allowLooserPermissions {@code true} to allow looser permissions
         */
        public void setAllowLooserPermissions(boolean allowLooserPermissions) {
            this.allowLooserPermissions = allowLooserPermissions;
        }

        /**
         * Returns the maximum number of processes that can take part in the region at once.
         *
         * @return the maximum, 64 by default
         */
        public int getMaxParticipants() {
            return this.maxParticipants;
        }

        /**
         * Sets the maximum number of processes that can take part in the region at once.
         *
         * @param maxParticipants the maximum
         */
        public void setMaxParticipants(int maxParticipants) {
            this.maxParticipants = maxParticipants;
        }

        /**
         * Returns how long to wait for another process that is creating the region.
         *
         * @return the timeout, 10 seconds by default
         */
        public Duration getOpenTimeout() {
            return this.openTimeout;
        }

        /**
         * Sets how long to wait for another process that is creating the region.
         *
         * @param openTimeout the timeout
         */
        public void setOpenTimeout(Duration openTimeout) {
            this.openTimeout = openTimeout;
        }

        /**
         * Returns whether this is the default region, the one injected without a qualifier.
         *
         * @return {@code true} if this region was marked as the default
         */
        public boolean isDefault() {
            return this.defaultRegion;
        }

        /**
         * Sets whether this is the default region, bound from
         * {@code hostsync.regions.<name>.default}.
         *
         * @param defaultRegion {@code true} to mark this region as the default
         */
        public void setDefault(boolean defaultRegion) {
            this.defaultRegion = defaultRegion;
        }

        /**
         * Returns the lock implementation of the region.
         *
         * @return the backend, or {@code null} for the platform's default
         *     ({@link Backend#platformDefault()}: robust on Linux, file elsewhere)
         */
        public @Nullable Backend getBackend() {
            return this.backend;
        }

        /**
         * Sets the lock implementation of the region. Bound from a name in any case, such as
         * {@code robust}; a name that is none of the backends fails binding, listing them.
         *
         * @param backend the backend, or {@code null} for the platform's default
         */
        public void setBackend(@Nullable Backend backend) {
            this.backend = backend;
        }

        /**
         * Returns the maximum number of locks in the region, the default lock included.
         *
         * @return the maximum, 16 by default
         */
        public int getMaxLocks() {
            return this.maxLocks;
        }

        /**
         * Sets the maximum number of locks in the region, the default lock included.
         *
         * @param maxLocks the maximum
         */
        public void setMaxLocks(int maxLocks) {
            this.maxLocks = maxLocks;
        }

        /**
         * Returns the maximum number of named entries (counters, arrays, values...) in the
         * region.
         *
         * @return the maximum, 128 by default
         */
        public int getMaxEntries() {
            return this.maxEntries;
        }

        /**
         * Sets the maximum number of named entries in the region.
         *
         * @param maxEntries the maximum
         */
        public void setMaxEntries(int maxEntries) {
            this.maxEntries = maxEntries;
        }

        /**
         * Returns the named locks to create when the region is opened.
         *
         * @return the mutable list of lock names
         */
        public List<String> getLocks() {
            return this.locks;
        }

        /**
         * Sets the named locks to create when the region is opened.
         *
         * @param locks the lock names
         */
        public void setLocks(List<String> locks) {
            this.locks = locks;
        }

        /**
         * Returns how long an annotated method waits for its lock when the annotation gives no
         * timeout.
         *
         * @return the timeout, 30 seconds by default
         */
        public Duration getAcquireTimeout() {
            return this.acquireTimeout;
        }

        /**
         * Sets how long an annotated method waits for its lock when the annotation gives no
         * timeout.
         *
         * @param acquireTimeout the timeout; zero tries once without waiting
         */
        public void setAcquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = acquireTimeout;
        }
    }
}

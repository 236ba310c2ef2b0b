package io.hostsync.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hostsync.Backend;
import io.hostsync.RegionOptions;

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
        private String region;

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
        private Duration timeToLive;

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
        public String getRegion() {
            return this.region;
        }

        /**
         * Sets the region that holds the cache.
         *
         * @param region the region name
         */
        public void setRegion(String region) {
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
        public Duration getTimeToLive() {
            return this.timeToLive;
        }

        /**
         * Sets how long an entry stays after it is written.
         *
         * @param timeToLive the time to live, or null for none
         */
        public void setTimeToLive(Duration timeToLive) {
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
        private String lockRegistry;

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
        public String getLockRegistry() {
            return this.lockRegistry;
        }

        /**
         * Sets the name of the LockRegistry bean the annotations use instead of hostsync locks.
         *
         * @param lockRegistry the bean name, or {@code null} to use hostsync locks
         */
        public void setLockRegistry(String lockRegistry) {
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
        private Path directory;

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
        private Backend backend;

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
        public Path getDirectory() {
            return this.directory;
        }

        /**
         * Sets the directory of this region's file, overriding {@code hostsync.directory}.
         *
         * @param directory the directory, or {@code null} to use {@code hostsync.directory}
         */
        public void setDirectory(Path directory) {
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
        public Backend getBackend() {
            return this.backend;
        }

        /**
         * Sets the lock implementation of the region. Bound from a name in any case, such as
         * {@code robust}; a name that is none of the backends fails binding, listing them.
         *
         * @param backend the backend, or {@code null} for the platform's default
         */
        public void setBackend(Backend backend) {
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

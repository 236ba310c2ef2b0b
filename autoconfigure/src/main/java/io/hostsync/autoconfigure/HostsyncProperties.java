package io.hostsync.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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
     * memory; every process that shares a region must see the same directory.
     */
    private Path directory = RegionOptions.DEFAULT_DIRECTORY;

    /**
     * Regions to open, by region name. When none is configured, a region named "default" is
     * opened with default settings.
     */
    private final Map<String, Region> regions = new LinkedHashMap<>();

    /** Metrics settings. */
    private final Metrics metrics = new Metrics();

    /** Health settings. */
    private final Health health = new Health();

    /**
     * Returns the directory in which region files are created unless a region overrides it.
     *
     * @return the directory, /dev/shm by default
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
     * Returns the health settings.
     *
     * @return the health settings
     */
    public Health getHealth() {
        return this.health;
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
     * Health settings, bound from {@code hostsync.health.*}.
     */
    public static class Health {

        /**
         * Longest time one write hold of a lock may last before the hostsync health
         * contributor reports DOWN.
         */
        private Duration maxHold = Duration.ofSeconds(30);

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
    }

    /**
     * Settings of one region, bound from {@code hostsync.regions.<name>.*}.
     */
    public static class Region {

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
         * Whether this is the default region, injected where a SharedRegion is asked for
         * without a qualifier. Needed only when several regions are configured and none is
         * named "default".
         */
        private boolean defaultRegion;

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
    }
}

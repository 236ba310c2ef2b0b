package io.hostsync;

import io.hostsync.internal.region.RegionLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open a {@link SharedRegion}: its name, where its file lives, its size and who may use
 * it. Immutable; built with {@link #builder(String)}, which rejects impossible values at once
 * with a message naming the option.
 */
public final class RegionOptions {

    /**
     * Where regions live unless told otherwise: {@code /dev/shm}, shared memory kept until reboot or
     * deletion; on systems without it (macOS, Windows), {@code hostsync} in the temporary directory.
     */
    public static final Path DEFAULT_DIRECTORY = java.nio.file.Files.isDirectory(Path.of("/dev/shm"))
            ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"), "hostsync");
    /** Prefix of every region file name. */
    public static final String FILE_PREFIX = "hostsync-";
    /** Default region size: 1 MiB. */
    public static final long DEFAULT_SIZE = 1L << 20;
    /** Default file mode: read and write for the owner only. */
    public static final int DEFAULT_FILE_MODE = 0600;
    /** Default number of process slots. */
    public static final int DEFAULT_MAX_PARTICIPANTS = 64;
    /** Default number of locks: the default lock and 15 named ones. */
    public static final int DEFAULT_MAX_LOCKS = 16;
    /** Default number of directory entries (counters, arrays, values...). */
    public static final int DEFAULT_MAX_ENTRIES = 128;
    /** Default time to wait for another process that is creating or validating the region. */
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(10);
    /** Longest region name. */
    public static final int MAX_NAME_LENGTH = Names.MAX_REGION_LENGTH;

    private final String name;
    private final Path directory;
    private final long size;
    private final int fileMode;
    private final boolean allowForeignOwner;
    private final boolean allowLooserPermissions;
    private final int maxParticipants;
    private final int maxLocks;
    private final int maxEntries;
    private final Duration openTimeout;
    private final Backend backend;

    private RegionOptions(Builder builder) {
        this.name = builder.name;
        this.directory = builder.directory.toAbsolutePath().normalize();
        this.size = builder.size;
        this.fileMode = builder.fileMode;
        this.allowForeignOwner = builder.allowForeignOwner;
        this.allowLooserPermissions = builder.allowLooserPermissions;
        this.maxParticipants = builder.maxParticipants;
        this.maxLocks = builder.maxLocks;
        this.maxEntries = builder.maxEntries;
        this.openTimeout = builder.openTimeout;
        this.backend = builder.backend;
    }

    /**
     * Starts options for the region of the given name, with every other option at its default.
     *
     * @param name the region name: 1 to {@value #MAX_NAME_LENGTH} of {@code [A-Za-z0-9._-]}, not
     *     containing {@code ..}
     * @return a builder
     * @throws IllegalArgumentException if the name is not allowed
     */
    public static Builder builder(String name) {
        return new Builder(validateName(name));
    }

    /**
     * Checks a region name.
     *
     * @param name the name to check
     * @return the name
     * @throws IllegalArgumentException naming the name and the rule it breaks
     */
    public static String validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Region name is empty: give a name of 1 to " + MAX_NAME_LENGTH
                    + " characters from " + Names.CHARACTERS);
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("Region name '" + name.substring(0, 20) + "...' is " + name.length()
                    + " characters long; the limit is " + MAX_NAME_LENGTH + ": choose a shorter name");
        }
        if (!Names.isValid(name, MAX_NAME_LENGTH)) {
            throw new IllegalArgumentException("Region name '" + name + "' may only contain letters, digits, '.', '_'"
                    + " and '-' (no path separators or spaces): choose a name such as 'orders-cache'");
        }
        if (name.contains("..")) {
            throw new IllegalArgumentException("Region name '" + name + "' contains '..': choose a name without it");
        }
        return name;
    }

    /** @return the region name */
    public String name() {
        return name;
    }

    /** @return the directory of the region file, absolute */
    public Path directory() {
        return directory;
    }

    /** @return the region file: {@code directory/hostsync-<name>} */
    public Path file() {
        return directory.resolve(FILE_PREFIX + name);
    }

    /** @return the region size in bytes */
    public long size() {
        return size;
    }

    /** @return the permission bits a new region file gets, and the loosest an existing one may have */
    public int fileMode() {
        return fileMode;
    }

    /** @return whether a region file owned by another user may be opened */
    public boolean allowForeignOwner() {
        return allowForeignOwner;
    }

    /** @return whether a region file with looser permissions than {@link #fileMode()} may be opened */
    public boolean allowLooserPermissions() {
        return allowLooserPermissions;
    }

    /** @return the number of process slots a new region gets, and an existing one must have */
    public int maxParticipants() {
        return maxParticipants;
    }

    /** @return the number of locks a new region gets, and an existing one must have */
    public int maxLocks() {
        return maxLocks;
    }

    /** @return the number of directory entries a new region gets, and an existing one must have */
    public int maxEntries() {
        return maxEntries;
    }

    /** @return how long to wait for another process that is creating or validating the region */
    public Duration openTimeout() {
        return openTimeout;
    }

    /** @return the lock backend of the region's locks */
    public Backend backend() {
        return backend;
    }

    @Override
    public String toString() {
        return "RegionOptions[name=" + name + ", file=" + file() + ", size=" + size + ", fileMode=0"
                + Integer.toOctalString(fileMode) + ", maxParticipants=" + maxParticipants + ", maxLocks=" + maxLocks
                + ", maxEntries=" + maxEntries + ", backend=" + backend.configName() + "]";
    }

    /** Builds {@link RegionOptions}; each setter rejects an impossible value at once. */
    public static final class Builder {

        private final String name;
        private Path directory = DEFAULT_DIRECTORY;
        private long size = DEFAULT_SIZE;
        private int fileMode = DEFAULT_FILE_MODE;
        private boolean allowForeignOwner;
        private boolean allowLooserPermissions;
        private int maxParticipants = DEFAULT_MAX_PARTICIPANTS;
        private int maxLocks = DEFAULT_MAX_LOCKS;
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private Duration openTimeout = DEFAULT_OPEN_TIMEOUT;
        private Backend backend = Backend.platformDefault();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Sets the directory of the region file. {@code /dev/shm} (the default) keeps a region
         * until reboot; a directory on disk keeps it across reboots.
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Sets the region size in bytes. Every process that opens the region must give the same.
         *
         * @param size the size, at least {@link RegionLayout#minimumSize(int, int, int)} for the number of
         *     participants, locks and entries and at most {@link RegionLayout#MAX_REGION_SIZE}
         * @return this builder
         */
        public Builder size(long size) {
            this.size = size;
            return this;
        }

        /**
         * Sets the permission bits of a new region file, for example {@code 0660} to share it with
         * the group. An existing file with looser bits is refused unless
         * {@link #allowLooserPermissions(boolean)}.
         *
         * @param fileMode permission bits, within {@code 0777}, at least {@code 0600}, and without write
         *     permission for others
         * @return this builder
         */
        public Builder fileMode(int fileMode) {
            if ((fileMode & ~0777) != 0) {
                throw new IllegalArgumentException(
                        "File mode 0" + Integer.toOctalString(fileMode) + " of region '" + name
                                + "' has bits outside 0777: give permission bits only, such as 0600 or 0660");
            }
            if ((fileMode & 0600) != 0600) {
                throw new IllegalArgumentException(
                        "File mode 0" + Integer.toOctalString(fileMode) + " of region '" + name
                                + "' does not let the owner read and write: use at least 0600");
            }
            if ((fileMode & 0002) != 0) {
                // Anyone on the host could then take, wedge or corrupt every lock and value in it.
                throw new IllegalArgumentException("File mode 0" + Integer.toOctalString(fileMode) + " of region '"
                        + name
                        + "' lets every user of the host write the region: use 0600, or 0660 to share it with a group");
            }
            this.fileMode = fileMode;
            return this;
        }

        /**
         * Sets whether a region file owned by another user may be opened.
         *
         * @param allow {@code true} to allow it
         * @return this builder
         */
        public Builder allowForeignOwner(boolean allow) {
            this.allowForeignOwner = allow;
            return this;
        }

        /**
         * Sets whether a region file with looser permissions than the file mode may be opened.
         *
         * @param allow {@code true} to allow it
         * @return this builder
         */
        public Builder allowLooserPermissions(boolean allow) {
            this.allowLooserPermissions = allow;
            return this;
        }

        /**
         * Sets the number of process slots: how many processes may have the region open at once.
         * Fixed when the region is created; every process must give the same.
         *
         * @param maxParticipants from {@link RegionLayout#MIN_SLOT_CAPACITY} to
         *     {@link RegionLayout#MAX_SLOT_CAPACITY}
         * @return this builder
         */
        public Builder maxParticipants(int maxParticipants) {
            if (maxParticipants < RegionLayout.MIN_SLOT_CAPACITY || maxParticipants > RegionLayout.MAX_SLOT_CAPACITY) {
                throw new IllegalArgumentException("maxParticipants " + maxParticipants + " of region '" + name
                        + "' is out of range: give " + RegionLayout.MIN_SLOT_CAPACITY + " to "
                        + RegionLayout.MAX_SLOT_CAPACITY);
            }
            this.maxParticipants = maxParticipants;
            return this;
        }

        /**
         * Sets the number of locks: the default lock and the named ones. Fixed when the region
         * is created; every process must give the same.
         *
         * @param maxLocks from {@link RegionLayout#MIN_LOCK_CAPACITY} to
         *     {@link RegionLayout#MAX_LOCK_CAPACITY}
         * @return this builder
         */
        public Builder maxLocks(int maxLocks) {
            if (maxLocks < RegionLayout.MIN_LOCK_CAPACITY || maxLocks > RegionLayout.MAX_LOCK_CAPACITY) {
                throw new IllegalArgumentException("maxLocks " + maxLocks + " of region '" + name
                        + "' is out of range: give " + RegionLayout.MIN_LOCK_CAPACITY + " to "
                        + RegionLayout.MAX_LOCK_CAPACITY);
            }
            this.maxLocks = maxLocks;
            return this;
        }

        /**
         * Sets the number of directory entries: how many named counters, arrays, values,
         * semaphores and maps the region can hold. Fixed when the region is created; every
         * process must give the same.
         *
         * @param maxEntries from {@link RegionLayout#MIN_ENTRY_CAPACITY} to
         *     {@link RegionLayout#MAX_ENTRY_CAPACITY}
         * @return this builder
         */
        public Builder maxEntries(int maxEntries) {
            if (maxEntries < RegionLayout.MIN_ENTRY_CAPACITY || maxEntries > RegionLayout.MAX_ENTRY_CAPACITY) {
                throw new IllegalArgumentException("maxEntries " + maxEntries + " of region '" + name
                        + "' is out of range: give " + RegionLayout.MIN_ENTRY_CAPACITY + " to "
                        + RegionLayout.MAX_ENTRY_CAPACITY);
            }
            this.maxEntries = maxEntries;
            return this;
        }

        /**
         * Sets how long to wait for another process that holds the region's initialisation lock.
         *
         * @param openTimeout a positive duration
         * @return this builder
         */
        public Builder openTimeout(Duration openTimeout) {
            if (openTimeout == null || openTimeout.isNegative() || openTimeout.isZero()) {
                throw new IllegalArgumentException("openTimeout " + openTimeout + " of region '" + name
                        + "' must be a positive duration, such as 10s");
            }
            this.openTimeout = openTimeout;
            return this;
        }

        /**
         * Sets the lock backend of the region's locks (see {@link Backend}). Every process must
         * use the same one; the default is {@link Backend#platformDefault()}.
         *
         * @param backend the backend
         * @return this builder
         */
        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if the size does not fit the number of participants
         */
        public RegionOptions build() {
            long minimum = RegionLayout.minimumSize(maxParticipants, maxLocks, maxEntries);
            if (size < minimum || size > RegionLayout.MAX_REGION_SIZE) {
                throw new IllegalArgumentException(
                        "Size " + size + " bytes of region '" + name + "' is out of range: with "
                                + maxParticipants + " participants, " + maxLocks + " locks and " + maxEntries
                                + " entries a region needs " + minimum + " to " + RegionLayout.MAX_REGION_SIZE
                                + " bytes; give a size in that range (the default is " + DEFAULT_SIZE + ")");
            }
            return new RegionOptions(this);
        }
    }
}

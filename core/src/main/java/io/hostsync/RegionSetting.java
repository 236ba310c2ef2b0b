package io.hostsync;

/**
 * The settings a region is created with, which every process that opens it must repeat and
 * which bound what it can hold: the subject of a {@link RegionMismatchException} (a setting
 * that differs from the existing region's) and of a {@link RegionFullException} (the setting
 * that limits what the region can hold).
 */
public enum RegionSetting {

    /** The lock backend, {@link RegionOptions.Builder#backend(Backend)}. */
    BACKEND("backend"),

    /** The region size in bytes, {@link RegionOptions.Builder#size(long)}. */
    SIZE("size"),

    /** The number of process slots, {@link RegionOptions.Builder#maxParticipants(int)}. */
    MAX_PARTICIPANTS("maxParticipants"),

    /** The number of lock records, {@link RegionOptions.Builder#maxLocks(int)}. */
    MAX_LOCKS("maxLocks"),

    /** The number of directory entries, {@link RegionOptions.Builder#maxEntries(int)}. */
    MAX_ENTRIES("maxEntries");

    private final String optionName;

    RegionSetting(String optionName) {
        this.optionName = optionName;
    }

    /**
     * Returns the name of the {@link RegionOptions.Builder} method that sets this setting.
     *
     * @return the option name, such as {@code maxParticipants}
     */
    public String optionName() {
        return optionName;
    }
}

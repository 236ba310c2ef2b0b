package io.hostsync.state;

import org.jspecify.annotations.Nullable;

/** What a directory entry of a region holds; the code is stored in the entry's type field. */
public enum EntryType {

    /** A {@link SharedCounter}: one atomic long. */
    COUNTER(1),
    /** A {@link SharedLongArray}. */
    LONG_ARRAY(2),
    /** A {@link SharedIntArray}. */
    INT_ARRAY(3),
    /** A {@link SharedDoubleArray}. */
    DOUBLE_ARRAY(4),
    /** A {@link SharedValue}: an encoded object in two copies, one committed. */
    VALUE(5),
    /** {@link SharedBytes}: raw bytes in a layout the user brings. */
    BYTES(6),
    /** A {@link SharedSemaphore}. */
    SEMAPHORE(7),
    /**
     * A map encoded whole into a value, the format of {@link SharedMap} before it became a hash
     * table. No longer created; opening one as a map fails with an {@link io.hostsync.EntryMismatchException}.
     */
    ENCODED_MAP(8),
    /** A {@link SharedMap}: a crash-safe hash table in segments (see {@link MapCapacity}). */
    MAP(9),
    /**
     * A {@link SharedCache}: a map's hash table with eviction and expiry, followed by one access
     * stamp per bucket.
     */
    CACHE(10);

    private final int code;

    EntryType(int code) {
        this.code = code;
    }

    /** @return the code stored in the region */
    public int code() {
        return code;
    }

    /**
     * Finds a type by its stored code.
     *
     * @param code the code in a directory entry
     * @return the type, or {@code null} for an unknown code
     */
    public static @Nullable EntryType fromCode(int code) {
        for (EntryType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}

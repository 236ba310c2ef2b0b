package io.hostsync.state;

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
    /** A {@link SharedMap}: an encoded map, stored as a value. */
    MAP(8);

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
    public static EntryType fromCode(int code) {
        for (EntryType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}

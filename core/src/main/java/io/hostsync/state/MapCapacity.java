package io.hostsync.state;

import io.hostsync.internal.table.TableLayout;

/**
 * The capacity of a {@link SharedMap}, fixed when the map is created: how many entries it is sized
 * for, and the average size of an encoded key plus its encoded value. The map reserves a little
 * more in each of its segments (keys never spread perfectly evenly, and values change size), so
 * that this many entries of this average size fit when keys hash evenly; a put into a segment
 * that is full fails with a {@link io.hostsync.RegionFullException} and changes nothing.
 *
 * @param entries the number of entries, 1 to {@value TableLayout#MAX_ENTRIES}
 * @param averageEntryBytes the average bytes of an encoded key and value together, 1 to
 *     {@value TableLayout#MAX_AVERAGE_ENTRY_BYTES}
 */
public record MapCapacity(int entries, int averageEntryBytes) {

    /**
     * Checks the capacity.
     *
     * @param entries the number of entries
     * @param averageEntryBytes the average bytes of a key and value
     * @throws IllegalArgumentException if either is out of range
     */
    public MapCapacity {
        if (entries < 1 || entries > TableLayout.MAX_ENTRIES) {
            throw new IllegalArgumentException("A map's capacity of " + entries + " entries is out of range: give 1 to "
                    + TableLayout.MAX_ENTRIES);
        }
        if (averageEntryBytes < 1 || averageEntryBytes > TableLayout.MAX_AVERAGE_ENTRY_BYTES) {
            throw new IllegalArgumentException("A map's average entry size of " + averageEntryBytes + " bytes is out of"
                    + " range: give 1 to " + TableLayout.MAX_AVERAGE_ENTRY_BYTES
                    + " (the encoded key and value together)");
        }
    }

    /**
     * A capacity of {@code entries} entries whose encoded key and value take
     * {@code averageEntryBytes} bytes together on average.
     *
     * @param entries the number of entries
     * @param averageEntryBytes the average bytes of a key and value
     * @return the capacity
     */
    public static MapCapacity of(int entries, int averageEntryBytes) {
        return new MapCapacity(entries, averageEntryBytes);
    }

    /**
     * The directory entry's parameter: entries in bits 0-31, average entry bytes in bits 32-63.
     *
     * @return the parameter
     */
    public long parameter() {
        return entries | (long) averageEntryBytes << 32;
    }

    /**
     * Reads a directory entry's parameter, for messages; not checked.
     *
     * @param parameter a map entry's parameter
     * @return its description, such as "1000000 entries of 80 bytes on average"
     */
    public static String describe(long parameter) {
        return (int) parameter + " entries of " + (int) (parameter >>> 32) + " bytes on average";
    }

    @Override
    public String toString() {
        return entries + " entries of " + averageEntryBytes + " bytes on average";
    }
}

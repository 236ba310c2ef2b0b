package io.hostsync.state;

/**
 * A named entry of a region's directory.
 *
 * @param name its name
 * @param type what it holds
 * @param parameter its type's parameter: the length of an array, the capacity in bytes of a
 *     value, the permits of a semaphore, the size of raw bytes, 0 for a counter; for a map, its
 *     {@link MapCapacity#parameter()}
 * @param blockOffset where its block starts in the region
 * @param blockLength its block's length in bytes
 */
public record EntryInfo(String name, EntryType type, long parameter, long blockOffset, long blockLength) {
}

package io.hostsync.state;

/**
 * What a {@link SharedMap} holds now, read from the region without its codecs: for meters, the
 * actuator endpoint and dashboards. Figures of the whole host, the same in every process.
 *
 * @param name the map's entry name
 * @param size the number of entries now, summed segment after segment (weakly consistent)
 * @param capacity the capacity it was created with
 * @param segments the number of segments the table is split into
 * @param recoveries changes of processes that died in the middle of them, completed since the map
 *     was created by the next writer of their segment
 */
public record MapStatistics(String name, long size, MapCapacity capacity, int segments, long recoveries) {
}

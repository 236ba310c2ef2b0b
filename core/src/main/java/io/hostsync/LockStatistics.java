package io.hostsync;

import java.time.Duration;

/**
 * Figures of one lock, either host-wide (every process, read from the region) or for this
 * process alone. Counters only grow while the region exists; read acquisitions wrap after
 * 2<sup>40</sup> per process slot.
 *
 * @param lock the lock's name
 * @param readHolds read holds now (reentrant holds counted each)
 * @param writerSlot the slot of the process whose writer owns the lock, or -1
 * @param waitingReaders threads waiting to read now
 * @param waitingWriters threads waiting to write now
 * @param readAcquisitions read locks taken
 * @param writeAcquisitions write locks taken
 * @param contendedAcquisitions locks taken after waiting
 * @param totalWait time spent waiting, by acquisitions that waited
 * @param timeouts acquisitions that gave up
 * @param recoveries holders found dead whose share was reclaimed (counted by who reclaimed it)
 * @param possiblyTorn whether a writer died while writing and nobody has marked the data
 *     consistent since
 */
public record LockStatistics(String lock, long readHolds, int writerSlot, int waitingReaders, int waitingWriters,
        long readAcquisitions, long writeAcquisitions, long contendedAcquisitions, Duration totalWait, long timeouts,
        long recoveries, boolean possiblyTorn) {

    /** @return read and write acquisitions together */
    public long acquisitions() {
        return readAcquisitions + writeAcquisitions;
    }
}

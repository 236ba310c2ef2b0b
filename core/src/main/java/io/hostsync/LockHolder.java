package io.hostsync;

/**
 * One live process's part in a lock, for dashboards and the actuator endpoint.
 *
 * @param slot the process slot
 * @param readHolds read holds of the process's threads
 * @param writer whether the process owns the write lock (held, or waiting for readers to leave)
 * @param waitingReaders threads of the process waiting to read
 * @param waitingWriters threads of the process waiting to write
 * @param writeAcquisitions write locks the slot has taken, which with {@code slot} tells one
 *     write hold from the next
 */
public record LockHolder(int slot, long readHolds, boolean writer, int waitingReaders, int waitingWriters,
        long writeAcquisitions) {
}

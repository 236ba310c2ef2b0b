package io.hostsync.internal.lock;

import io.hostsync.Backend;
import io.hostsync.BackendRefusedException;
import io.hostsync.internal.region.KeyedName;
import io.hostsync.internal.region.RegionFile;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A family of keyed locks in one region, such as {@code orders}: one lock per key, each in a
 * lock record only while some thread of some process holds or waits for it. Opening the record a
 * key has pinned as the region's backend costs a backend object per record and family, made
 * once and reused by every key that lands there, so that a million keys make no more of them
 * than the table has records.
 */
public final class LockFamily {

    private final RegionFile region;
    private final String name;
    private final AtomicReferenceArray<LockBackend> backends;

    /**
     * Creates the family.
     *
     * @param region the open region
     * @param name a valid lock name
     * @throws BackendRefusedException if the region's backend is {@code posix}
     */
    public LockFamily(RegionFile region, String name) {
        if (region.header.backend() == Backend.POSIX) {
            throw new BackendRefusedException("Keyed lock family '" + name + "' of region '" + region.options.name()
                    + "' (" + region.file + ") cannot use the posix backend: a keyed lock's record is reused by other"
                    + " keys once nobody holds it, and a pthread_rwlock_t left held by a dead process can only be reset"
                    + " by an operator. Use the robust (default) or file backend for regions with keyed locks, or"
                    + " named locks on this region.");
        }
        this.region = region;
        this.name = name;
        this.backends = new AtomicReferenceArray<>(region.header.lockCapacity());
    }

    /** @return the family's name */
    public String name() {
        return name;
    }

    /**
     * Returns the host-wide half of the lock of one key.
     *
     * @param key the family and key
     * @return the keyed lock, which finds (or creates) the key's record at each acquisition
     */
    public LockBackend open(KeyedName key) {
        return new KeyedLock(this, key);
    }

    RegionFile region() {
        return region;
    }

    /** The backend over a record this family's key has pinned. */
    LockBackend backend(int index) {
        LockBackend backend = backends.get(index);
        if (backend == null) {
            backend = LockBackends.openRecord(region, index, name);
            if (!backends.compareAndSet(index, null, backend)) {
                backend = backends.get(index); // another thread made one: one per record keeps the JVM's books in one place
            }
        }
        return backend;
    }
}

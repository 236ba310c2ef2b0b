package io.hostsync.autoconfigure.guard;

import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.function.Supplier;

import io.hostsync.BackendRefusedException;
import io.hostsync.RWLock;
import io.hostsync.RegionFullException;
import io.hostsync.SharedRegion;

/**
 * Guards methods with hostsync's own read-write locks: {@code @ReadGuarded} takes the read lock,
 * {@code @WriteGuarded} the write lock, of the named lock of the region, or, for a method with a
 * key, of the keyed lock of the key its arguments give. A named lock's record is created at
 * startup, so that a region without room for it fails startup; a key's record exists only while
 * the key is held.
 */
final class HostsyncGuardLocks implements GuardLocks {

    private final GuardRegions regions;

    HostsyncGuardLocks(GuardRegions regions) {
        this.regions = regions;
    }

    @Override
    public Supplier<Lock> lock(String region, String lock, Guard.Mode mode, String method) {
        RWLock readWriteLock;
        try {
            readWriteLock = this.regions.region(region).lock(lock);
        } catch (IllegalArgumentException ex) {
            throw new InvalidGuardException(method + " names lock '" + lock + "': " + ex.getMessage() + ".", ex);
        } catch (RegionFullException ex) {
            throw new InvalidGuardException(method + " needs lock '" + lock + "', but " + ex.getMessage()
                    + " (hostsync.regions." + region + ".max-locks)", ex);
        }
        Lock taken = (mode == Guard.Mode.READ) ? readWriteLock.readLock() : readWriteLock.writeLock();
        return () -> taken;
    }

    @Override
    public Function<Object, Lock> keyedLocks(String region, String family, Guard.Mode mode, String method) {
        SharedRegion shared = this.regions.region(region);
        try {
            shared.lock(family, family); // checks the family name and the backend; takes no record
        } catch (IllegalArgumentException | BackendRefusedException ex) {
            throw new InvalidGuardException(method + " locks keys of lock family '" + family + "': " + ex.getMessage(),
                    ex);
        }
        return (mode == Guard.Mode.READ) ? (key) -> shared.lock(family, key).readLock()
                : (key) -> shared.lock(family, key).writeLock();
    }

    @Override
    public String describe(String region, String lock, Guard.Mode mode) {
        return "the " + mode.word() + " lock of lock '" + lock + "' in region '" + region + "'";
    }
}

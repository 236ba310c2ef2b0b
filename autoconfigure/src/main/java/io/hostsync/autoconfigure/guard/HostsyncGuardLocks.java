package io.hostsync.autoconfigure.guard;

import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

import io.hostsync.RWLock;
import io.hostsync.RegionFullException;

/**
 * Guards methods with hostsync's own read-write locks: {@code @ReadGuarded} takes the read lock,
 * {@code @WriteGuarded} the write lock, of the named lock of the region. The lock record is
 * created at startup, so that a region without room for it fails startup.
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
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidGuardException(method + " names lock '" + lock + "': " + ex.getMessage() + ".", ex);
        }
        catch (RegionFullException ex) {
            throw new InvalidGuardException(method + " needs lock '" + lock + "', but " + ex.getMessage()
                    + " (hostsync.regions." + region + ".max-locks)", ex);
        }
        Lock taken = (mode == Guard.Mode.READ) ? readWriteLock.readLock() : readWriteLock.writeLock();
        return () -> taken;
    }

    @Override
    public String describe(String region, String lock, Guard.Mode mode) {
        return "the " + mode.word() + " lock of lock '" + lock + "' in region '" + region + "'";
    }
}

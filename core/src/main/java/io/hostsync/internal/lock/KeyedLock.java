package io.hostsync.internal.lock;

import io.hostsync.LockHolder;
import io.hostsync.LockStatistics;
import io.hostsync.internal.region.KeyedName;
import io.hostsync.internal.region.LockTable;
import io.hostsync.internal.region.RegionFile;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The host-wide half of a keyed lock: before a thread's first hold it pins the key's record
 * (creating it if no process has one), and it unpins after the release. Every hold pins once
 * (reentrant reads too) and every release unpins once, so this slot's pins come back to zero
 * exactly when no thread of this JVM holds or waits for the key, whatever order the holds are
 * released in (a writer that reads, then downgrades, for instance).
 *
 * <p>While any thread of this JVM has the record pinned, it is the key's and no other record is
 * (a key has at most one record: records are created under the initialisation lock after a
 * search), so {@link #record} names it for every release.
 */
final class KeyedLock implements LockBackend {

    private final LockFamily family;
    private final RegionFile region;
    private final LockTable table;
    private final KeyedName key;
    /** The key's record when a thread of this JVM last pinned it: where the next pin looks first. */
    private volatile int record = -1;

    KeyedLock(LockFamily family, KeyedName key) {
        this.family = family;
        this.region = family.region();
        this.table = region.locks;
        this.key = key;
    }

    @Override
    public String name() {
        return key.toString(); // made when asked: keys used once are many, and rarely named in a message
    }

    @Override
    public RegionFile region() {
        return region;
    }

    /** Pins the key's record for an acquisition; the caller unpins it if the acquisition fails. */
    private int pin() {
        region.ensureOpen();
        int index = table.pinKeyed(key, record);
        record = index;
        return index;
    }

    @Override
    public boolean tryAcquireRead() {
        int index = pin();
        boolean acquired = false;
        try {
            acquired = family.backend(index).tryAcquireRead();
            return acquired;
        } finally {
            if (!acquired) {
                table.unpin(index);
            }
        }
    }

    @Override
    public boolean acquireRead(long timeoutNanos, boolean interruptible) throws InterruptedException {
        int index = pin();
        boolean acquired = false;
        try {
            acquired = family.backend(index).acquireRead(timeoutNanos, interruptible);
            return acquired;
        } finally {
            if (!acquired) {
                table.unpin(index);
            }
        }
    }

    @Override
    public void addReentrantRead() {
        int index = record;
        table.pinHeld(index);
        boolean added = false;
        try {
            family.backend(index).addReentrantRead();
            added = true;
        } finally {
            if (!added) {
                table.unpin(index);
            }
        }
    }

    @Override
    public void releaseRead(boolean lastOfThread) {
        int index = record;
        try {
            family.backend(index).releaseRead(lastOfThread);
        } finally {
            table.unpin(index);
        }
    }

    @Override
    public boolean acquireWrite(long timeoutNanos, boolean interruptible) throws InterruptedException {
        int index = pin();
        boolean acquired = false;
        try {
            acquired = family.backend(index).acquireWrite(timeoutNanos, interruptible);
            return acquired;
        } finally {
            if (!acquired) {
                table.unpin(index);
            }
        }
    }

    @Override
    public void releaseWrite(boolean stillReading) {
        int index = record;
        try {
            family.backend(index).releaseWrite(stillReading);
        } finally {
            table.unpin(index);
        }
    }

    /** The writer holds the record pinned. */
    @Override
    public void markConsistent() {
        family.backend(record).markConsistent();
    }

    @Override
    public boolean isPossiblyTorn() {
        return onRecord(LockBackend::isPossiblyTorn, false);
    }

    @Override
    public LockStatistics hostStatistics() {
        return onRecord(LockBackend::hostStatistics, idle());
    }

    @Override
    public List<LockHolder> holders() {
        return onRecord(LockBackend::holders, List.of());
    }

    @Override
    public LockStatistics processStatistics() {
        return onRecord(LockBackend::processStatistics, idle());
    }

    /**
     * Reads the key's record if it has one, pinned meanwhile so that it stays the key's; a key
     * without a record is free, never torn, and has nobody waiting.
     */
    private <T> T onRecord(Function<LockBackend, T> read, T withoutRecord) {
        if (!region.gate.tryEnter()) { // the pin is this slot's: only while the slot is ours
            return withoutRecord;
        }
        try {
            int index = table.pinExisting(key, record);
            if (index < 0) {
                return withoutRecord;
            }
            try {
                return read.apply(family.backend(index));
            } finally {
                table.unpin(index);
            }
        } finally {
            region.gate.leave();
        }
    }

    private LockStatistics idle() {
        return new LockStatistics(name(), 0, -1, 0, 0, 0, 0, 0, Duration.ZERO, 0, 0, false);
    }

    @Override
    public String toString() {
        return "KeyedLock[" + region.options.name() + "/" + name() + "]";
    }
}

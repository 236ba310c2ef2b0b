package io.hostsync.autoconfigure.cohort;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

import io.hostsync.LockStatistics;
import io.hostsync.LockTimeoutException;
import io.hostsync.RWLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A read-write lock across hosts, made of a hostsync {@link RWLock} on each host and one exclusive
 * {@link RemoteLease} per lock in an engine every host reaches: lock cohorting (Dice, Marathe and
 * Shavit, PPoPP 2012) with the host as the cohort.
 *
 * <p>A thread first takes the host lock, in its mode; then, under a small host-wide gate, it either
 * finds the remote lease held for the host and still valid (a <em>local handoff</em>: no remote
 * call), or takes the lease. On release, while other processes of the host hold the lock or wait
 * for it, the lease stays with the host, for at most {@link CohortSettings#localHandoffs()}
 * acquisitions in a row that found processes waiting; then it is released and the host yields
 * until another host has taken it (engines that enforce it, {@link RemoteLease#yieldsInEngine})
 * or for two retry intervals, so that other hosts get their turn. A host waiting for the lease is
 * woken by its release where the engine notifies releases, else it retries every retry interval.
 *
 * <p>What excludes what:
 * <ul>
 * <li>a writer excludes every other reader and writer, of every host;</li>
 * <li>readers of one host share the host lock and one remote hold; readers of different hosts
 * exclude each other, since the remote lease is exclusive;</li>
 * <li>all of it only while the lease is valid: it is renewed every third of the lease time while
 * the host uses the lock, by every process of the host, so the death of the process that took it
 * changes nothing. If the engine cannot be reached for longer than the lease, a holder that keeps
 * running past the lease's end is no longer excluded from other hosts (as with every lease-based
 * lock); new acquisitions stop relying on the lease a third of the lease time before its end.</li>
 * </ul>
 *
 * <p>The host's part of the state is a record of longs in the region (a named lock's own long
 * array; a keyed lock's entry in the region's record map, which exists only while the key is used:
 * see {@link CohortRecord}), changed only under the gate;
 * every process of the host holds leases under the same host identity (stored in the region), so
 * any of them may renew or release what another acquired. Times are {@link System#nanoTime()},
 * which on Linux is {@code CLOCK_MONOTONIC}, the same in every process of the host.
 */
public final class CohortLock implements ReadWriteLock {

    private static final Log logger = LogFactory.getLog(CohortLock.class);

    /** 1 while the remote lease is held for the host, else 0. */
    static final int HELD = 0;

    /** Until when (nanoTime) the lease is known valid: the start of the last successful call plus the lease time. */
    static final int VALID_UNTIL = 1;

    /** Local handoffs under the current remote hold. */
    static final int PASSES = 2;

    /**
     * Until when (nanoTime) processes of this host leave the lease to other hosts, after a fairness
     * release, when the engine does not enforce the yield itself.
     */
    static final int YIELD_UNTIL = 3;

    /**
     * Holders that run under the current remote hold. A process killed while it counts here leaves it
     * too high; it only matters while the host lock has holders, and is reset whenever the host lock
     * is idle, so a dead process never keeps the lease.
     */
    static final int JOINED = 4;

    /** The record's length. */
    static final int RECORD_LENGTH = 5;

    private final RWLock local;

    private final RWLock gate;

    private final CohortRecord record;

    private final RemoteLease remote;

    private final String key;

    private final CohortSettings settings;

    private final Side readLock = new Side(false);

    private final Side writeLock = new Side(true);

    private final CohortCounters counters;

    CohortLock(RWLock local, RWLock gate, CohortRecord record, RemoteLease remote, String key,
            CohortSettings settings, CohortCounters counters) {
        this.local = local;
        this.gate = gate;
        this.record = record;
        this.remote = remote;
        this.key = key;
        this.settings = settings;
        this.counters = counters;
    }

    @Override
    public Lock readLock() {
        return this.readLock;
    }

    @Override
    public Lock writeLock() {
        return this.writeLock;
    }

    /**
     * The host lock this cohort lock is built on.
     *
     * @return the hostsync lock
     */
    public RWLock hostLock() {
        return this.local;
    }

    /**
     * The key of the remote lease.
     *
     * @return the key, such as {@code orders:default}
     */
    public String remoteKey() {
        return this.key;
    }

    /**
     * Whether the remote lease is held for this host now and known valid.
     *
     * @return whether the host holds the remote lock
     */
    public boolean isHeldByHost() {
        return this.record.get(HELD) == 1 && this.record.get(VALID_UNTIL) - System.nanoTime() > 0;
    }

    /** What this process counts for this lock (for a keyed lock: for its family). */
    CohortCounters counters() {
        return this.counters;
    }

    /**
     * The engine's last failure, until a call to it succeeds again: what the health indicator reports.
     *
     * @return the failure, or null when the last call succeeded
     */
    public @Nullable RuntimeException lastFailure() {
        return this.counters.lastFailure.get();
    }

    /**
     * What this process counted: for a keyed lock, for every key of its family together (its
     * {@link CohortStatistics#lock()} is then the family's name followed by {@code [*]}).
     *
     * @return the statistics
     */
    public CohortStatistics statistics() {
        return this.counters.statistics();
    }

    private boolean acquire(Lock localSide, boolean write, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean reentered = holdsLocally();
        if (!localSide.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        if (reentered) {
            return true; // this thread already relies on the host's remote hold
        }
        boolean joined = false;
        try {
            joined = joinRemote(write, deadline);
            return joined;
        } finally {
            if (!joined) {
                localSide.unlock();
            }
        }
    }

    /** Relies on the host's remote hold, or takes the lease for the host, before the deadline. */
    private boolean joinRemote(boolean write, long deadline) throws InterruptedException {
        long marginNanos = this.settings.margin().toNanos();
        long firstRemoteAttempt = 0;
        RuntimeException failure = null;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (!this.gate.writeLock().tryLock(Math.max(remaining, 0), TimeUnit.NANOSECONDS)) {
                break;
            }
            try {
                if (write) {
                    this.record.set(JOINED, 0); // a writer is alone on the host: a count left is a dead holder's
                }
                long now = System.nanoTime();
                boolean valid = this.record.get(HELD) == 1 && this.record.get(VALID_UNTIL) - now > marginNanos;
                if (valid && this.record.get(PASSES) < this.settings.localHandoffs()) {
                    this.record.incrementAndGet(PASSES);
                    this.record.incrementAndGet(JOINED);
                    this.counters.localHandoffs.increment();
                    return true;
                }
                if (valid && this.record.get(JOINED) <= 0) {
                    yieldToOtherHosts(now); // the bound is reached and nobody runs under the hold: other hosts' turn
                } else if (!valid && (this.record.get(HELD) == 1 || now - this.record.get(YIELD_UNTIL) >= 0)) {
                    if (firstRemoteAttempt == 0) {
                        firstRemoteAttempt = now;
                    }
                    try {
                        boolean taken = this.remote.acquire(this.key, this.settings.leaseTime());
                        this.counters.lastFailure.set(null);
                        failure = null;
                        if (taken) {
                            this.record.set(VALID_UNTIL, now + this.settings.leaseTime().toNanos());
                            this.record.set(PASSES, 0);
                            this.record.set(JOINED, 1);
                            this.record.set(HELD, 1);
                            this.counters.remoteAcquisitions.increment();
                            this.counters.remoteWaitNanos.add(System.nanoTime() - firstRemoteAttempt);
                            return true;
                        }
                        if (this.record.get(HELD) == 1) {
                            lost("an acquisition");
                        }
                    } catch (RuntimeException ex) {
                        failure = ex;
                        failed(ex);
                    }
                }
            } finally {
                this.gate.writeLock().unlock();
            }
            if (deadline - System.nanoTime() <= 0) {
                break;
            }
            // woken by a release of the key (engines that notify), else after the retry interval
            this.remote.awaitRelease(this.key, Math.min(this.settings.retryInterval().toNanos(),
                    Math.max(deadline - System.nanoTime(), 1)));
        }
        if (failure != null) {
            throw new RemoteLockUnavailableException("Could not take the remote lock '" + this.key + "' in "
                    + this.remote.describe() + " for lock '" + this.local.name() + "' of region '"
                    + this.local.regionName() + "': the lock engine failed (" + failure
                    + "). Check that the database or Redis named by hostsync.cohort.* is reachable; nothing is held.",
                    failure);
        }
        return false;
    }

    private void release(Lock localSide) {
        this.gate.writeLock().lock();
        try {
            localSide.unlock();
            if (holdsLocally()) {
                return;
            }
            long joined = this.record.get(JOINED);
            if (joined > 0) {
                this.record.set(JOINED, joined - 1);
            }
            LockStatistics host = this.local.hostStatistics();
            boolean holders = host.readHolds() > 0 || host.writerSlot() >= 0;
            if (this.record.get(HELD) == 0) {
                if (!holders && host.waitingReaders() + host.waitingWriters() == 0) {
                    this.record.discard(); // a keyed lock's record lives only while its key is in use
                }
                return;
            }
            if (holders && joined - 1 > 0) {
                return; // others still run under the remote hold
            }
            // holders now are waiting for the remote hold under the gate, as the host lock's waiters wait for it
            boolean waiting = holders || host.waitingReaders() + host.waitingWriters() > 0;
            long now = System.nanoTime();
            if (waiting && this.record.get(PASSES) < this.settings.localHandoffs()
                    && this.record.get(VALID_UNTIL) - now > this.settings.margin().toNanos()) {
                return; // a local handoff: the next holder of this host finds the lease held
            }
            if (waiting) {
                yieldToOtherHosts(now);
            } else {
                releaseRemote();
                this.record.discard();
            }
        } finally {
            this.gate.writeLock().unlock();
        }
    }

    /**
     * Under the gate: releases the lease, and keeps this host from taking it again for two retry
     * intervals, or (engines that enforce the yield) until another host has taken it, if sooner.
     */
    private void yieldToOtherHosts(long now) {
        this.counters.fairnessReleases.increment();
        Duration yieldTime = this.settings.retryInterval().multipliedBy(2);
        if (this.remote.yieldsInEngine(this.key)) {
            releaseRemote(yieldTime);
        } else {
            this.record.set(YIELD_UNTIL, now + yieldTime.toNanos());
            releaseRemote(null);
        }
    }

    /** Under the gate. */
    private void releaseRemote() {
        releaseRemote(null);
    }

    /** Under the gate: releases the lease, yielding it to other hosts for a while if a yield time is given. */
    private void releaseRemote(@Nullable Duration yieldTime) {
        this.record.set(HELD, 0);
        this.record.set(JOINED, 0);
        try {
            boolean released = (yieldTime != null) ? this.remote.releaseYielding(this.key, yieldTime)
                    : this.remote.release(this.key);
            if (!released) {
                lost("a release");
            }
            this.counters.lastFailure.set(null);
        } catch (RuntimeException ex) {
            failed(ex); // the lease ends by itself at its expiry
        }
    }

    /**
     * Renews the lease while the host uses the lock, and releases a hold nobody uses any more (a
     * handoff whose waiter gave up, a holder that died). Called by every process of the host,
     * every third of the lease time.
     */
    void maintain() {
        boolean locked;
        try {
            locked = this.gate.writeLock().tryLock(this.settings.retryInterval().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!locked) {
            return;
        }
        try {
            LockStatistics host = this.local.hostStatistics();
            boolean used = host.readHolds() > 0 || host.writerSlot() >= 0
                    || host.waitingReaders() + host.waitingWriters() > 0;
            if (this.record.get(HELD) == 0) {
                if (!used) {
                    this.record.discard(); // a keyed record left by a timed-out acquisition or a dead process
                }
                return;
            }
            if (!used) {
                releaseRemote(); // a handoff whose waiter gave up, or a holder that died
                this.record.discard();
                return;
            }
            long now = System.nanoTime();
            long leaseNanos = this.settings.leaseTime().toNanos();
            if (this.record.get(VALID_UNTIL) - now > leaseNanos - leaseNanos / 3) {
                return; // another process of the host renewed it a moment ago
            }
            try {
                if (this.remote.renew(this.key, this.settings.leaseTime())) {
                    this.record.set(VALID_UNTIL, now + leaseNanos);
                    this.counters.lastFailure.set(null);
                } else {
                    this.record.set(HELD, 0);
                    lost("a renewal");
                }
            } catch (RuntimeException ex) {
                failed(ex);
            }
        } finally {
            this.gate.writeLock().unlock();
        }
    }

    private void lost(String when) {
        this.record.set(HELD, 0);
        this.counters.leasesLost.increment();
        logger.warn("The remote lease '" + this.key + "' in " + this.remote.describe() + " of cohort lock '"
                + this.local.name() + "' (region '" + this.local.regionName() + "') was no longer this host's at "
                + when + ": it expired while the lock engine could not be reached, or was deleted. Keep"
                + " hostsync.cohort.lease-time longer than the outages the engine may have.");
    }

    private void failed(RuntimeException ex) {
        this.counters.remoteFailures.increment();
        this.counters.lastFailure.set(ex);
    }

    private boolean holdsLocally() {
        return this.local.getReadHoldCount() > 0 || this.local.isWriteLockedByCurrentThread();
    }

    @Override
    public String toString() {
        return "CohortLock[" + this.local.regionName() + ":" + this.local.name() + " over " + this.remote.describe()
                + "]";
    }

    private final class Side implements Lock {

        private final boolean write;

        Side(boolean write) {
            this.write = write;
        }

        private Lock localSide() {
            return this.write ? CohortLock.this.local.writeLock() : CohortLock.this.local.readLock();
        }

        @Override
        public void lock() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        lockInterruptibly();
                        return;
                    } catch (InterruptedException ex) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            Duration timeout = CohortLock.this.settings.acquireTimeout();
            if (!acquire(localSide(), this.write, timeout.toNanos())) {
                throw new LockTimeoutException("Timed out after " + timeout + " waiting for the "
                        + (this.write ? "write" : "read") + " lock of cohort lock '" + CohortLock.this.local.name()
                        + "' (region '" + CohortLock.this.local.regionName() + "'): another host holds '"
                        + CohortLock.this.key + "' in " + CohortLock.this.remote.describe()
                        + ", or this host's processes do. Raise hostsync.cohort.acquire-timeout, or use tryLock.");
            }
        }

        @Override
        public boolean tryLock() {
            try {
                return acquire(localSide(), this.write, 0);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return acquire(localSide(), this.write, unit.toNanos(time));
        }

        @Override
        public void unlock() {
            release(localSide());
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("Cohort locks have no conditions");
        }
    }
}

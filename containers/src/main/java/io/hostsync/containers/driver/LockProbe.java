package io.hostsync.containers.driver;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import io.hostsync.RWLock;

import org.springframework.stereotype.Component;

/**
 * Takes the region's default lock on request, the way a crash test needs it: holds the write
 * lock half-way through a write of the {@link GuardedRecord} until released (or until the
 * container is killed), waits for the lock on a background thread and tells when it got it, and
 * repairs the record after a writer died in it.
 */
@Component
public class LockProbe {

    private final RWLock lock;

    private final GuardedRecord record;

    private final Map<String, Await> awaits = new ConcurrentHashMap<>();

    private CountDownLatch release;

    private Thread holder;

    private volatile long releasingAtNanos;

    /**
     * Creates the probe.
     *
     * @param lock the default lock of the application's region
     * @param record the record the lock protects
     */
    public LockProbe(RWLock lock, GuardedRecord record) {
        this.lock = lock;
        this.record = record;
    }

    /**
     * Takes the write lock on a thread of its own, writes half of the record and stays there
     * until {@link #releaseWrite()}.
     *
     * @param timeout how long to wait for the lock
     * @return whether the lock is now held, half-way through a write
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized boolean holdWrite(Duration timeout) throws InterruptedException {
        if (this.release != null) {
            throw new IllegalStateException("The write lock is held already: POST /driver/release-write first");
        }
        CountDownLatch acquired = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            if (!tryLock(this.lock.writeLock(), timeout)) {
                return;
            }
            try {
                this.record.writeHalf();
                acquired.countDown();
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } finally {
                this.releasingAtNanos = System.nanoTime();
                this.lock.writeLock().unlock();
            }
        }, "write-holder");
        holder.setDaemon(true);
        holder.start();
        if (!acquired.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            release.countDown();
            return false;
        }
        this.release = release;
        this.holder = holder;
        return true;
    }

    /**
     * Lets the thread of {@link #holdWrite(Duration)} release the lock, the record still half
     * written, and waits until it has.
     *
     * @return {@link System#nanoTime()} just before the lock was released, or 0 if it was not held
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized long releaseWrite() throws InterruptedException {
        if (this.release == null) {
            return 0;
        }
        this.release.countDown();
        this.holder.join();
        this.release = null;
        this.holder = null;
        return this.releasingAtNanos;
    }

    /**
     * Starts waiting for the lock on a background thread; {@link #await(String)} says when it got
     * it. The thread releases the lock at once, without repairing anything.
     *
     * @param mode {@code read} or {@code write}
     * @param timeout how long to wait
     */
    public void startAwait(String mode, Duration timeout) {
        Lock wanted = lockFor(mode);
        this.awaits.put(mode, Await.WAITING);
        Thread waiter = new Thread(() -> {
            if (!tryLock(wanted, timeout)) {
                this.awaits.put(mode, new Await("timed-out", 0, false));
                return;
            }
            long acquiredAt = System.nanoTime();
            try {
                this.awaits.put(mode, new Await("acquired", acquiredAt, this.lock.isPossiblyTorn()));
            } finally {
                wanted.unlock();
            }
        }, "await-" + mode);
        waiter.setDaemon(true);
        waiter.start();
    }

    /**
     * Returns how the last wait for a mode went.
     *
     * @param mode {@code read} or {@code write}
     * @return the wait, or {@code null} if none was started
     */
    public Await await(String mode) {
        return this.awaits.get(mode);
    }

    /**
     * Takes the write lock and, if a writer died holding it, repairs the record and tells the
     * lock it is consistent again.
     *
     * @param timeout how long to wait for the lock
     * @return whether the lock was possibly torn
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean repair(Duration timeout) throws InterruptedException {
        if (!this.lock.writeLock().tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("The write lock was not free within " + timeout);
        }
        try {
            boolean torn = this.lock.isPossiblyTorn();
            if (torn) {
                this.record.repair();
                this.lock.markConsistent();
            }
            return torn;
        } finally {
            this.lock.writeLock().unlock();
        }
    }

    private Lock lockFor(String mode) {
        return switch (mode) {
            case "read" -> this.lock.readLock();
            case "write" -> this.lock.writeLock();
            default -> throw new IllegalArgumentException("mode must be read or write, not " + mode);
        };
    }

    private static boolean tryLock(Lock lock, Duration timeout) {
        try {
            return lock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A wait for the lock.
     *
     * @param state {@code waiting}, {@code acquired} or {@code timed-out}
     * @param acquiredAtNanos {@link System#nanoTime()} when it got the lock: the kernel's monotonic
     *     clock, which containers share with the host (Docker gives them no time namespace)
     * @param possiblyTorn whether the lock said "possibly torn" once taken
     */
    public record Await(String state, long acquiredAtNanos, boolean possiblyTorn) {

        static final Await WAITING = new Await("waiting", 0, false);
    }
}

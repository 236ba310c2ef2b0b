package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hostsync.testing.TestRegions;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link RWLock} contract within one JVM, which every {@link Backend} runs: the rules of
 * ReentrantReadWriteLock, plus names, statistics and torn marks. A subclass per backend.
 */
abstract class RWLockContract {

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    /** @return the backend under test */
    abstract Backend backend();

    /**
     * Whether other threads may read while a writer that downgraded still reads. {@code posix}
     * cannot downgrade atomically, so it stays exclusive until the downgraded read is released.
     */
    boolean downgradeAdmitsReaders() {
        return true;
    }

    /** Whether a writer owns the lock (and shows as its writer) while it waits for readers to drain. */
    boolean waitingWriterOwnsTheLock() {
        return false;
    }

    RegionOptions.Builder options(String base) {
        return regions.options(base).backend(backend());
    }

    private SharedRegion region;
    private RWLock lock;

    @BeforeEach
    void open() {
        region = SharedRegion.open(options("rwlock").build());
        lock = region.lock();
    }

    @AfterEach
    void close() {
        region.close();
    }

    @Test
    void readLocksAreSharedBetweenThreads() throws Exception {
        lock.readLock().lock();
        try {
            assertThat(tryInOtherThread(lock.readLock())).isTrue();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Test
    void theWriteLockExcludesReadersAndWritersOfOtherThreads() throws Exception {
        lock.writeLock().lock();
        try {
            assertThat(inOtherThread(() -> lock.readLock().tryLock())).isFalse();
            assertThat(inOtherThread(() -> lock.writeLock().tryLock())).isFalse();
            assertThat(inOtherThread(() -> lock.readLock().tryLock(50, TimeUnit.MILLISECONDS))).isFalse();
        } finally {
            lock.writeLock().unlock();
        }
        assertThat(tryInOtherThread(lock.writeLock())).isTrue();
    }

    @Test
    void aReadLockHeldByAnotherThreadKeepsWritersOut() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            lock.readLock().lock();
            held.countDown();
            await(release);
            lock.readLock().unlock();
        });
        reader.start();
        held.await();
        assertThat(lock.writeLock().tryLock(50, TimeUnit.MILLISECONDS)).isFalse();
        release.countDown();
        assertThat(lock.writeLock().tryLock(10, TimeUnit.SECONDS)).isTrue();
        lock.writeLock().unlock();
        reader.join();
    }

    @Test
    void readAndWriteLocksAreReentrant() {
        lock.writeLock().lock();
        lock.writeLock().lock();
        assertThat(lock.getWriteHoldCount()).isEqualTo(2);
        lock.writeLock().unlock();
        assertThat(lock.isWriteLockedByCurrentThread()).isTrue();
        lock.writeLock().unlock();
        assertThat(lock.isWriteLockedByCurrentThread()).isFalse();

        lock.readLock().lock();
        lock.readLock().lock();
        assertThat(lock.getReadHoldCount()).isEqualTo(2);
        assertThat(lock.processStatistics().readHolds()).isEqualTo(2);
        lock.readLock().unlock();
        lock.readLock().unlock();
        assertThat(lock.processStatistics().readHolds()).isZero();
    }

    @Test
    void threadsTakingTurnsKeepTheirOwnReadHolds() throws Exception {
        // The lock remembers the books of the thread that used it last: turns must never mix them up.
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            lock.readLock().lock();
            lock.readLock().lock();
            assertThat(other.submit(() -> {
                lock.readLock().lock();
                return lock.getReadHoldCount();
            }).get(30, TimeUnit.SECONDS)).isEqualTo(1);
            lock.readLock().unlock();
            assertThat(lock.getReadHoldCount()).isEqualTo(1);
            assertThatThrownBy(() -> lock.writeLock().tryLock()).as("still a reader, though another thread read last")
                    .isInstanceOf(LockUpgradeException.class);
            assertThat(other.submit(() -> {
                lock.readLock().unlock();
                return lock.getReadHoldCount();
            }).get(30, TimeUnit.SECONDS)).isZero();
            assertThat(other.submit(() -> {
                try {
                    lock.readLock().unlock();
                    return "unlocked";
                } catch (IllegalMonitorStateException e) {
                    return "refused";
                }
            }).get(30, TimeUnit.SECONDS)).isEqualTo("refused");
            assertThat(lock.getReadHoldCount()).isEqualTo(1);
            assertThat(lock.processStatistics().readHolds()).isEqualTo(1);
            lock.readLock().unlock();
            assertThat(lock.getReadHoldCount()).isZero();
            assertThat(other.submit(() -> {
                boolean acquired = lock.writeLock().tryLock();
                lock.writeLock().unlock();
                return acquired;
            }).get(30, TimeUnit.SECONDS)).as("nobody reads any more").isTrue();
            assertThat(lock.processStatistics().readHolds()).isZero();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aWriterMayDowngradeToARead() throws Exception {
        lock.writeLock().lock();
        lock.readLock().lock();
        lock.writeLock().unlock();
        assertThat(lock.getReadHoldCount()).isEqualTo(1);
        assertThat(lock.isWriteLockedByCurrentThread()).isFalse();
        if (downgradeAdmitsReaders()) {
            assertThat(tryInOtherThread(lock.readLock())).as("others may read after the downgrade").isTrue();
        } else {
            assertThat(inOtherThread(() -> lock.readLock().tryLock())).as("exclusive until the read goes").isFalse();
        }
        assertThat(inOtherThread(() -> lock.writeLock().tryLock())).as("but not write").isFalse();
        lock.readLock().unlock();
        assertThat(tryInOtherThread(lock.writeLock())).as("free once the downgraded read goes").isTrue();
    }

    /**
     * A writer's read can be the first read its process takes of a lock: with the {@code robust}
     * backend it did not mark the slot in the lock's reader bitmap, so after the downgrade a
     * writer found the lock drained and came in while the read was held.
     */
    @Test
    void aDowngradedReadKeepsWritersOutWhenItIsTheProcesssFirstReadOfTheLock() throws Exception {
        RWLock fresh = region.lock("fresh");
        fresh.writeLock().lock();
        fresh.readLock().lock();
        fresh.writeLock().unlock();
        try {
            assertThat(inOtherThread(() -> fresh.writeLock().tryLock())).as("a writer while the read is held")
                    .isFalse();
        } finally {
            fresh.readLock().unlock();
        }
        assertThat(tryInOtherThread(fresh.writeLock())).isTrue();
    }

    @Test
    void aReaderAskingForTheWriteLockIsRefusedAtOnce() {
        lock.readLock().lock();
        try {
            assertThatThrownBy(() -> lock.writeLock().lock()).isInstanceOf(LockUpgradeException.class)
                    .hasMessageContaining("holds the read lock of 'default'")
                    .hasMessageContaining("release the read lock first");
            assertThatThrownBy(() -> lock.writeLock().tryLock()).isInstanceOf(LockUpgradeException.class);
            assertThatThrownBy(() -> lock.writeLock().tryLock(1, TimeUnit.SECONDS))
                    .isInstanceOf(LockUpgradeException.class);
        } finally {
            lock.readLock().unlock();
        }
        lock.writeLock().lock();
        lock.writeLock().unlock();
    }

    @Test
    void unlockingWhatThisThreadDoesNotHoldThrows() throws Exception {
        assertThatThrownBy(() -> lock.readLock().unlock()).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("does not hold the read lock of 'default'");
        assertThatThrownBy(() -> lock.writeLock().unlock()).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("does not hold the write lock of 'default'");
        lock.writeLock().lock();
        try {
            assertThat(inOtherThread(() -> {
                try {
                    lock.writeLock().unlock();
                    return "unlocked";
                } catch (IllegalMonitorStateException e) {
                    return "refused";
                }
            })).isEqualTo("refused");
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Test
    void aTimedTryLockGivesUpAndIsCountedAsATimeout() throws Exception {
        lock.writeLock().lock();
        try {
            long timeoutsBefore = lock.hostStatistics().timeouts();
            assertThat(inOtherThread(() -> lock.writeLock().tryLock(30, TimeUnit.MILLISECONDS))).isFalse();
            assertThat(inOtherThread(() -> lock.readLock().tryLock(30, TimeUnit.MILLISECONDS))).isFalse();
            assertThat(lock.hostStatistics().timeouts()).isEqualTo(timeoutsBefore + 2);
        } finally {
            lock.writeLock().unlock();
        }
        assertThat(lock.hostStatistics().waitingWriters()).isZero();
        assertThat(lock.hostStatistics().waitingReaders()).isZero();
    }

    @Test
    void aWaitingThreadIsInterruptedPromptly() throws Exception {
        lock.writeLock().lock();
        try {
            for (Lock wanted : List.of(lock.readLock(), lock.writeLock())) {
                AtomicReference<Throwable> outcome = new AtomicReference<>();
                Thread waiter = new Thread(() -> {
                    try {
                        wanted.lockInterruptibly();
                        outcome.set(new AssertionError("acquired"));
                    } catch (Throwable e) {
                        outcome.set(e);
                    }
                });
                waiter.start();
                awaitWaiting(waiter);
                waiter.interrupt();
                waiter.join(10_000);
                assertThat(waiter.isAlive()).as("the interrupted waiter returned").isFalse();
                assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            }
        } finally {
            lock.writeLock().unlock();
        }
        lock.readLock().lock();
        lock.readLock().unlock();
    }

    @Test
    void aBlockedWriterProceedsWhenTheLastReaderLeaves() throws Exception {
        lock.readLock().lock();
        AtomicBoolean written = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            lock.writeLock().lock();
            written.set(true);
            lock.writeLock().unlock();
        });
        writer.start();
        if (waitingWriterOwnsTheLock()) {
            awaitCondition(() -> lock.hostStatistics().writerSlot() == region.slot());
            assertThat(lock.hostStatistics().writerSlot()).as("the waiting writer has claimed the lock")
                    .isEqualTo(region.slot());
        } else {
            awaitCondition(() -> lock.hostStatistics().waitingWriters() == 1);
        }
        assertThat(written).isFalse();
        assertThat(inOtherThread(() -> lock.readLock().tryLock())).as("new readers wait behind it").isFalse();
        assertThat(lock.holders()).singleElement().satisfies(holder -> {
            assertThat(holder.slot()).isEqualTo(region.slot());
            assertThat(holder.readHolds()).isEqualTo(1);
            if (waitingWriterOwnsTheLock()) {
                assertThat(holder.writer()).as("owns the lock while readers drain").isTrue();
            } else {
                assertThat(holder.waitingWriters()).as("waits while readers drain").isEqualTo(1);
            }
        });
        lock.readLock().unlock();
        writer.join(10_000);
        assertThat(written).isTrue();
        assertThat(lock.holders()).isEmpty();
        assertThat(lock.hostStatistics().contendedAcquisitions()).isPositive();
    }

    @Test
    void namedLocksAreIndependentAndOneInstancePerName() throws Exception {
        RWLock orders = region.lock("orders");
        assertThat(region.lock("orders")).isSameAs(orders);
        assertThat(region.lockNames()).containsExactly("default", "orders");
        orders.writeLock().lock();
        try {
            assertThat(tryInOtherThread(lock.writeLock())).isTrue();
        } finally {
            orders.writeLock().unlock();
        }
        assertThatThrownBy(() -> region.lock("no/slash")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Lock name 'no/slash'");
    }

    @Test
    void aRegionWithoutRoomForAnotherLockSaysSo() {
        try (SharedRegion small = SharedRegion.open(options("two-locks").maxLocks(2).build())) {
            small.lock("first");
            assertThatThrownBy(() -> small.lock("second")).isInstanceOf(RegionFullException.class)
                    .hasMessageContaining("no room for lock 'second'")
                    .hasMessageContaining("all 2 lock records are in use (default, first)")
                    .hasMessageContaining("larger maxLocks");
        }
    }

    @Test
    void processFiguresCountOnlyWhatThisProcessDidInItsSlot() throws Exception {
        RegionOptions options = options("reused-slot").build();
        try (SharedRegion first = SharedRegion.open(options)) {
            first.lock().writeLock().lock();
            first.lock().writeLock().unlock();
        }
        try (SharedRegion second = SharedRegion.open(options)) {
            RWLock reused = second.lock();
            assertThat(reused.hostStatistics().writeAcquisitions()).as("the host remembers").isEqualTo(1);
            assertThat(reused.processStatistics().writeAcquisitions()).as("this process did nothing yet").isZero();
            reused.writeLock().lock();
            assertThat(reused.processStatistics().writerSlot()).isEqualTo(second.slot());
            reused.writeLock().unlock();
            assertThat(reused.processStatistics().writeAcquisitions()).isEqualTo(1);
            assertThat(reused.processStatistics().writerSlot()).isEqualTo(-1);
        }
    }

    @Test
    void markConsistentNeedsTheWriteLock() {
        assertThatThrownBy(lock::markConsistent).isInstanceOf(IllegalMonitorStateException.class);
        lock.writeLock().lock();
        lock.markConsistent();
        assertThat(lock.isPossiblyTorn()).isFalse();
        lock.writeLock().unlock();
    }

    @Test
    void afterTheRegionIsClosedItsLocksRefuseEveryOperation() {
        try (SharedRegion other = SharedRegion.open(options("closing").build())) {
            RWLock closing = other.lock();
            other.close();
            assertThatThrownBy(() -> closing.readLock().lock()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is closed: its locks can no longer be taken or released");
            assertThatThrownBy(() -> closing.writeLock().tryLock()).isInstanceOf(IllegalStateException.class);
        }
    }

    /**
     * A close while a thread holds the write lock and another waits for it: the waiter gives up
     * with "is closed", the hold is not taken away (another process still cannot get in), and the
     * slot is given up when the holder releases. Before close was ordered with the lock's
     * operations, the slot was freed at once and the other process's tryLock succeeded.
     */
    @Test
    void closingWhileAThreadHoldsTheLockKeepsItHeldUntilReleasedAndWaitersGiveUp() throws Exception {
        RegionOptions options = options("held-at-close").build();
        SharedRegion closing = SharedRegion.open(options);
        RWLock held = closing.lock();
        held.writeLock().lock();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Boolean> waiter = threads.submit(() -> {
                held.writeLock().lock(); // blocked by the holder, until the close makes it give up
                held.writeLock().unlock();
                return true;
            });
            threads.submit(closing::close).get(30, java.util.concurrent.TimeUnit.SECONDS);
            java.util.concurrent.Future<Boolean> newcomer = threads.submit(() -> held.readLock().tryLock());
            assertThatThrownBy(() -> newcomer.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
            try (io.hostsync.testing.JvmProcess other = io.hostsync.testing.JvmProcess.start(java.util.List.of(),
                    TryWriteProbe.class, options.directory().toString(), options.name(), backend().configName())) {
                assertThat(other.expect("TRIED", java.time.Duration.ofSeconds(60))).as("another process while held")
                        .isEqualTo("TRIED acquired=false");
            }
            held.writeLock().unlock(); // the last hold: the slot is given up now
            assertThatThrownBy(() -> waiter.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
            try (io.hostsync.testing.JvmProcess other = io.hostsync.testing.JvmProcess.start(java.util.List.of(),
                    TryWriteProbe.class, options.directory().toString(), options.name(), backend().configName())) {
                assertThat(other.expect("TRIED", java.time.Duration.ofSeconds(60))).as("another process once released")
                        .isEqualTo("TRIED acquired=true");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void conditionsAreRefusedWithAReason() {
        assertThatThrownBy(() -> lock.writeLock().newCondition()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("across processes");
    }

    @Test
    void threadsOfOneJvmNeverOverlapAWriterAndCountEveryWrite() throws Exception {
        int threads = 6;
        int operations = 20_000;
        long[] record = new long[4];
        AtomicInteger violations = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < operations; i++) {
                    if (random.nextInt(10) == 0) {
                        lock.writeLock().lock();
                        try {
                            long next = record[0] + 1;
                            for (int w = 0; w < record.length; w++) {
                                record[w] = next;
                            }
                        } finally {
                            lock.writeLock().unlock();
                        }
                    } else {
                        lock.readLock().lock();
                        try {
                            for (int w = 1; w < record.length; w++) {
                                if (record[w] != record[0]) {
                                    violations.incrementAndGet();
                                }
                            }
                        } finally {
                            lock.readLock().unlock();
                        }
                    }
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(violations).hasValue(0);
        LockStatistics statistics = lock.processStatistics();
        assertThat(statistics.writeAcquisitions()).as("every write counted").isEqualTo(record[0]);
        assertThat(statistics.acquisitions()).isEqualTo((long) threads * operations);
        assertThat(statistics.readHolds()).isZero();
    }

    @Test
    void aThousandVirtualThreadsContendWithoutDeadlock() throws Exception {
        Method newVirtualThreadPerTaskExecutor;
        try {
            newVirtualThreadPerTaskExecutor = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            assumeTrue(false, "virtual threads need Java 21 or newer; CI runs this test on Java 25");
            return;
        }
        int threads = 1000;
        long[] counter = new long[1];
        AtomicInteger violations = new AtomicInteger();
        ExecutorService pool = (ExecutorService) newVirtualThreadPerTaskExecutor.invoke(null);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        if ((id + i) % 4 == 0) {
                            lock.writeLock().lock();
                            try {
                                long before = counter[0];
                                Thread.yield(); // let the virtual thread move to another carrier while holding
                                counter[0] = before + 1;
                            } finally {
                                lock.writeLock().unlock();
                            }
                        } else {
                            lock.readLock().lock();
                            try {
                                long seen = counter[0];
                                Thread.yield();
                                if (counter[0] != seen) {
                                    violations.incrementAndGet();
                                }
                            } finally {
                                lock.readLock().unlock();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(violations).hasValue(0);
        assertThat(counter[0]).isEqualTo(threads * 20 / 4);
        assertThat(lock.processStatistics().readHolds()).isZero();
    }

    /** Whether another thread can take {@code wanted} now; it lets go at once if it can. */
    private static boolean tryInOtherThread(Lock wanted) throws Exception {
        return inOtherThread(() -> {
            boolean got = wanted.tryLock();
            if (got) {
                wanted.unlock();
            }
            return got;
        });
    }

    private interface Attempt<T> {
        T run() throws Exception;
    }

    private static <T> T inOtherThread(Attempt<T> attempt) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            return other.submit(attempt::run).get(30, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
    }

    /** Waits until a thread waits: parked in Java, or counted as a waiter (a native wait shows as runnable). */
    private void awaitWaiting(Thread thread) throws InterruptedException {
        awaitCondition(
                () -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING
                        || lock.processStatistics().waitingReaders() + lock.processStatistics().waitingWriters() > 0);
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition within 30 s").isNegative();
            Thread.sleep(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

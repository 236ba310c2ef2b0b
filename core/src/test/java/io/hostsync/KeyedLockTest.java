package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.internal.region.KeyedName;
import io.hostsync.internal.region.RegionLayout;
import io.hostsync.internal.region.Words;
import io.hostsync.testing.TestRegions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Locks for any key, in one process: each key excludes on its own, a key takes a lock record
 * only while it is held or waited for, records are reclaimed and reused without one key ever
 * locking another key's record, and a table with every record in use says so.
 */
class KeyedLockTest {

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = { "ROBUST", "FILE" })
    void aKeysWriteLockExcludesThatKeyOnlyNotTheOtherKeysOfTheFamily(Backend backend) throws Exception {
        try (SharedRegion region = SharedRegion.open(regions.options("keys-exclude").backend(backend).build())) {
            RWLock order42 = region.lock("orders", 42);
            order42.writeLock().lock();
            try {
                assertThat(inOtherThread(() -> region.lock("orders", "42").writeLock().tryLock()))
                        .as("the key 42 and the key \"42\" are one key, held by this thread").isFalse();
                assertThat(inOtherThread(() -> region.lock("orders", "42").readLock().tryLock())).isFalse();
                assertThat(inOtherThread(() -> tryAndRelease(region.lock("orders", 43).writeLock())))
                        .as("another key of the family is free").isTrue();
                assertThat(inOtherThread(() -> tryAndRelease(region.lock("invoices", 42).writeLock())))
                        .as("the same key of another family is another lock").isTrue();
                assertThat(inOtherThread(() -> tryAndRelease(region.lock("orders").writeLock())))
                        .as("a named lock of the family's name is another lock").isTrue();
            } finally {
                order42.writeLock().unlock();
            }
            assertThat(inOtherThread(() -> tryAndRelease(region.lock("orders", "42").writeLock()))).isTrue();
            assertThat(order42.name()).isEqualTo("orders['42']");
            assertThat(region.lockNames()).as("keyed locks are not named locks").containsExactly(Names.DEFAULT_LOCK,
                    "orders");
        }
    }

    @Test
    void theSameKeyGivesTheSameInstanceSoAThreadReentersItsOwnHold() throws Exception {
        try (SharedRegion region = SharedRegion.open(regions.options("keys-same").build())) {
            RWLock first = region.lock("orders", "A-1");
            assertThat(region.lock("orders", "A-1")).isSameAs(first);
            assertThat(region.lock("orders", "A-1".getBytes(StandardCharsets.UTF_8))).as("a key is its bytes")
                    .isSameAs(first);
            first.writeLock().lock();
            try {
                Lock again = region.lock("orders", "A-1").writeLock();
                assertThat(again.tryLock()).as("reentrant, not a wait for itself").isTrue();
                again.unlock();
                RWLock same = region.lock("orders", "A-1");
                same.readLock().lock(); // a writer may read, then downgrade
                first.writeLock().unlock();
                assertThat(inOtherThread(() -> region.lock("orders", "A-1").writeLock().tryLock())).isFalse();
                assertThat(inOtherThread(() -> tryAndRelease(region.lock("orders", "A-1").readLock()))).isTrue();
                same.readLock().unlock();
            } finally {
                if (first.isWriteLockedByCurrentThread()) {
                    first.writeLock().unlock();
                }
            }
            assertThat(pinnedRecords(region)).as("every hold unpinned its record").isZero();
        }
    }

    /**
     * A million keys, each locked once by one of four threads, pass through a table of 16 records
     * (the default lock takes one): records are reclaimed as soon as their keys are released.
     * Meanwhile the threads also share a few hot keys, each guarding an unsynchronised counter.
     */
    @Test
    void aMillionDistinctKeysPassThroughSixteenRecords() throws Exception {
        int threads = 4;
        int keysPerThread = 250_000;
        int hotKeys = 3;
        try (SharedRegion region = SharedRegion.open(regions.options("keys-million").maxLocks(16).build())) {
            long[] hotCounters = new long[hotKeys];
            long[] hotIncrements = new long[threads];
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < keysPerThread; i++) {
                            RWLock lock = region.lock("invoice", "t" + thread + "-" + i);
                            lock.writeLock().lock();
                            lock.writeLock().unlock();
                            if (i % 64 == 0) {
                                RWLock hot = region.lock("invoice", "hot-" + (i / 64) % hotKeys);
                                hot.writeLock().lock();
                                try {
                                    hotCounters[(i / 64) % hotKeys]++;
                                    hotIncrements[thread]++;
                                } finally {
                                    hot.writeLock().unlock();
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            long incremented = 0;
            for (long count : hotIncrements) {
                incremented += count;
            }
            assertThat(hotCounters[0] + hotCounters[1] + hotCounters[2]).as("no increment of a hot key was lost")
                    .isEqualTo(incremented);
            assertThat(pinnedRecords(region)).isZero();
            assertThat(keyedRecords(region)).isLessThanOrEqualTo(15);
            assertThat(region.lockNames()).containsExactly(Names.DEFAULT_LOCK);
        }
    }

    /** Keys that hash to the same record probe on to the next ones, and stay separate locks. */
    @Test
    void keysThatHashToTheSameRecordStayIndependent() throws Exception {
        try (SharedRegion region = SharedRegion.open(regions.options("keys-collide").maxLocks(8).build())) {
            List<String> colliding = collidingKeys("orders", 8, 3);
            RWLock first = region.lock("orders", colliding.get(0));
            first.writeLock().lock();
            try {
                RWLock second = region.lock("orders", colliding.get(1));
                second.writeLock().lock();
                try {
                    assertThat(inOtherThread(() -> region.lock("orders", colliding.get(0)).writeLock().tryLock()))
                            .isFalse();
                    assertThat(inOtherThread(() -> region.lock("orders", colliding.get(1)).readLock().tryLock()))
                            .isFalse();
                    assertThat(inOtherThread(() -> tryAndRelease(region.lock("orders", colliding.get(2)).writeLock())))
                            .isTrue();
                } finally {
                    second.writeLock().unlock();
                }
                assertThat(inOtherThread(() -> tryAndRelease(region.lock("orders", colliding.get(1)).writeLock())))
                        .as("releasing the second key freed it, not the first").isTrue();
                assertThat(inOtherThread(() -> region.lock("orders", colliding.get(0)).writeLock().tryLock()))
                        .isFalse();
            } finally {
                first.writeLock().unlock();
            }
            assertExclusionPerKey(region, colliding, 3, 20_000);
        }
    }

    /**
     * An instance whose key's record was reclaimed and given to another key (held now) must
     * find its key a record again, not lock the other key's.
     */
    @Test
    void aLockWhoseRecordWasReusedByAnotherKeyNeverLocksThatKeysRecord() throws Exception {
        try (SharedRegion region = SharedRegion.open(regions.options("keys-reuse").maxLocks(3).build())) {
            RWLock old = region.lock("orders", "old");
            old.writeLock().lock();
            old.writeLock().unlock(); // its record is now reclaimable; 'old' remembers it as a hint
            List<RWLock> others = List.of(region.lock("orders", "other-1"), region.lock("orders", "other-2"));
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                others.forEach(lock -> lock.writeLock().lock()); // the two free records: one of them was 'old''s
                held.countDown();
                await(release);
                others.forEach(lock -> lock.writeLock().unlock());
            });
            holder.start();
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                assertThatThrownBy(() -> old.writeLock().tryLock())
                        .as("no record is left for 'old': both belong to keys held now")
                        .isInstanceOf(RegionFullException.class);
            } finally {
                release.countDown();
                holder.join();
            }
            region.lock("orders", "other-1").writeLock().lock(); // takes a record again; one stays free
            try {
                assertThat(old.writeLock().tryLock()).as("'old' takes the free record, not other-1's").isTrue();
                assertThat(inOtherThread(() -> region.lock("orders", "other-1").writeLock().tryLock())).isFalse();
                old.writeLock().unlock();
            } finally {
                region.lock("orders", "other-1").writeLock().unlock();
            }
        }
    }

    @Test
    void moreKeysInUseAtOnceThanRecordsIsRegionFullNamingTheKeyAndTheFix() throws Exception {
        try (SharedRegion region = SharedRegion.open(regions.options("keys-full").maxLocks(4).build())) {
            List<RWLock> held = new ArrayList<>();
            for (int key = 0; key < 3; key++) {
                RWLock lock = region.lock("quotes", "EUR" + key);
                lock.readLock().lock();
                held.add(lock);
            }
            RWLock fourth = region.lock("quotes", "USD");
            assertThatThrownBy(() -> fourth.readLock().lock()).isInstanceOf(RegionFullException.class)
                    .hasMessageContaining(
                            "has no room for keyed lock quotes['USD']: all 4 lock records are in use (default)")
                    .hasMessageContaining("3 of them by keys that a live thread holds or waits for")
                    .hasMessageContaining("Recreate the region with a larger maxLocks, or hold fewer keys at once.");
            assertThat(fourth.getReadHoldCount()).isZero();
            assertThat(pinnedRecords(region)).as("the failed acquisition left no pin").isEqualTo(3);
            assertThatThrownBy(() -> region.lock("cache-rebuild")).as("named locks compete for the same records")
                    .isInstanceOf(RegionFullException.class).hasMessageContaining("3 of them by keys");
            held.remove(0).readLock().unlock();
            fourth.readLock().lock();
            fourth.readLock().unlock();
            held.forEach(lock -> lock.readLock().unlock());
            assertThat(region.lock("cache-rebuild").writeLock().tryLock()).as("a named lock takes a reclaimed record")
                    .isTrue();
            region.lock("cache-rebuild").writeLock().unlock();
        }
    }

    @Test
    void aKeyThatFitsItsRecordIsStoredWholeAndNamedByItself() throws Exception {
        try (SharedRegion region = SharedRegion.open(regions.options("keys-longest").build())) {
            String longest = "k".repeat(KeyedName.maxKeyBytes("orders"));
            RWLock lock = region.lock("orders", longest);
            assertThat(lock.name()).isEqualTo("orders['" + longest + "']");
            assertThat(KeyedName.of("orders", longest.getBytes(StandardCharsets.UTF_8)).isDigest()).isFalse();
            assertThat(KeyedName.of("orders", (longest + "k").getBytes(StandardCharsets.UTF_8)).isDigest())
                    .as("one byte more is stored as a digest").isTrue();
            lock.writeLock().lock();
            try {
                assertThat(inOtherThread(() -> region.lock("orders", longest).writeLock().tryLock())).isFalse();
            } finally {
                lock.writeLock().unlock();
            }
            assertThatThrownBy(() -> region.lock("orders", (Object) null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is null");
            assertThatThrownBy(() -> region.lock("no spaces", 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Lock name 'no spaces'");
        }
    }

    @ParameterizedTest(name = "a key of {0} bytes")
    @org.junit.jupiter.params.provider.ValueSource(ints = { 1024, 100 * 1024 })
    void aKeyLongerThanItsRecordExcludesThroughItsDigest(int bytes) throws Exception {
        try (SharedRegion region = SharedRegion.open(regions.options("keys-digest").build())) {
            String key = "order-" + "x".repeat(bytes - 6);
            RWLock lock = region.lock("orders", key);
            assertThat(lock.name()).as("named by the digest, not by 100 KB of key")
                    .matches("orders\\[sha-256:[0-9a-f]{64}\\]");
            lock.writeLock().lock();
            try {
                assertThat(inOtherThread(() -> region.lock("orders", new String(key)).writeLock().tryLock()))
                        .as("the same long key, another instance of it, in another thread").isFalse();
                assertThat(inOtherThread(() -> tryAndRelease(region.lock("invoices", key).writeLock())))
                        .as("the same key in another family").isTrue();
            } finally {
                lock.writeLock().unlock();
            }
            assertThat(inOtherThread(() -> tryAndRelease(region.lock("orders", key).writeLock()))).isTrue();
        }
    }

    @Test
    void twoLongKeysThatDifferOnlyInTheirLastByteAreDifferentLocks() throws Exception {
        try (SharedRegion region = SharedRegion.open(regions.options("keys-digest-last").build())) {
            byte[] first = new byte[4096];
            java.util.Arrays.fill(first, (byte) 7);
            byte[] second = first.clone();
            second[second.length - 1] = 8;
            RWLock one = region.lock("blobs", first);
            assertThat(one.name()).isNotEqualTo(region.lock("blobs", second).name());
            one.writeLock().lock();
            try {
                assertThat(inOtherThread(() -> tryAndRelease(region.lock("blobs", second).writeLock()))).isTrue();
                assertThat(inOtherThread(() -> region.lock("blobs", first.clone()).writeLock().tryLock())).isFalse();
            } finally {
                one.writeLock().unlock();
            }
        }
    }

    @Test
    void aFamilyTooLongToKeepBeforeADigestIsCutInTheNameButNotInTheDigest() throws Exception {
        String family = "f".repeat(40);
        try (SharedRegion region = SharedRegion.open(regions.options("keys-digest-family").build())) {
            RWLock lock = region.lock(family + "a", new byte[100]);
            lock.writeLock().lock();
            try {
                assertThat(inOtherThread(() -> tryAndRelease(region.lock(family + "b", new byte[100]).writeLock())))
                        .isTrue();
                assertThat(inOtherThread(() -> region.lock(family + "a", new byte[100]).writeLock().tryLock()))
                        .isFalse();
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    @Test
    void binaryKeysAreComparedByteForByte() throws Exception {
        try (SharedRegion region = SharedRegion.open(regions.options("keys-bytes").build())) {
            RWLock zero = region.lock("blobs", new byte[] { 0, 1, 2 });
            assertThat(zero.name()).isEqualTo("blobs[0x000102]");
            zero.writeLock().lock();
            try {
                assertThat(inOtherThread(() -> region.lock("blobs", new byte[] { 0, 1, 2 }).writeLock().tryLock()))
                        .isFalse();
                assertThat(inOtherThread(() -> tryAndRelease(region.lock("blobs", new byte[] { 0, 1 }).writeLock())))
                        .as("a prefix is another key").isTrue();
                assertThat(
                        inOtherThread(() -> tryAndRelease(region.lock("blobs", new byte[] { 0, 1, 2, 0 }).writeLock())))
                        .isTrue();
            } finally {
                zero.writeLock().unlock();
            }
        }
    }

    @Test
    void aPosixRegionRefusesKeyedLocksNamingTheBackendsThatCan() {
        try (SharedRegion region = SharedRegion.open(regions.options("keys-posix").backend(Backend.POSIX).build())) {
            assertThatThrownBy(() -> region.lock("orders", 1)).isInstanceOf(BackendRefusedException.class)
                    .hasMessageContaining("Keyed lock family 'orders'")
                    .hasMessageContaining("Use the robust (default) or file backend");
        }
    }

    @Test
    void statisticsOfAKeyedLockAreThoseOfItsRecordWhileItHasOne() throws Exception {
        try (SharedRegion region = SharedRegion.open(regions.options("keys-stats").build())) {
            RWLock lock = region.lock("orders", 7);
            assertThat(lock.hostStatistics().readHolds()).isZero();
            assertThat(lock.isPossiblyTorn()).isFalse();
            lock.readLock().lock();
            lock.readLock().lock();
            try {
                assertThat(lock.hostStatistics().readHolds()).isEqualTo(2);
                assertThat(lock.holders()).singleElement()
                        .satisfies(holder -> assertThat(holder.slot()).isEqualTo(region.slot()));
            } finally {
                lock.readLock().unlock();
                lock.readLock().unlock();
            }
            assertThat(pinnedRecords(region)).isZero();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Threads of this JVM write-lock the keys at random, each checking that no other is inside. */
    static void assertExclusionPerKey(SharedRegion region, List<String> keys, int threads, int operations)
            throws Exception {
        long[] inside = new long[keys.size()];
        AtomicLong violations = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
                    for (int i = 0; i < operations; i++) {
                        int key = random.nextInt(keys.size());
                        RWLock lock = region.lock("orders", keys.get(key));
                        lock.writeLock().lock();
                        try {
                            if (inside[key]++ != 0) {
                                violations.incrementAndGet();
                            }
                            Thread.onSpinWait();
                            inside[key]--;
                        } finally {
                            lock.writeLock().unlock();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(violations.get()).as("two threads inside one key's write lock").isZero();
    }

    /** Keys of a family whose probing starts at the same record of a table of {@code capacity}. */
    static List<String> collidingKeys(String family, int capacity, int count) {
        List<String> keys = new ArrayList<>();
        int bucket = KeyedName.of(family, "c0".getBytes(StandardCharsets.UTF_8)).start(capacity);
        for (int i = 0; keys.size() < count; i++) {
            String key = "c" + i;
            if (KeyedName.of(family, key.getBytes(StandardCharsets.UTF_8)).start(capacity) == bucket) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** Records some live slot pins now. */
    static int pinnedRecords(SharedRegion region) {
        ByteBuffer buffer = region.buffer();
        RegionHeader header = region.header();
        int pinned = 0;
        for (int index = 0; index < header.lockCapacity(); index++) {
            for (int slot = 0; slot < header.slotCapacity(); slot++) {
                int pins = RegionLayout.holderOffset(header, slot, index) + RegionLayout.HOLDER_PINS_OFFSET;
                if ((int) Words.INTS.getVolatile(buffer, pins) != 0) {
                    pinned++;
                    break;
                }
            }
        }
        return pinned;
    }

    /** Records that belong to a key now (held, waited for, or not yet reclaimed). */
    static int keyedRecords(SharedRegion region) {
        ByteBuffer buffer = region.buffer();
        RegionHeader header = region.header();
        int keyed = 0;
        for (int index = 0; index < header.lockCapacity(); index++) {
            int flag = RegionLayout.lockRecordOffset(header, index) + RegionLayout.LOCK_IN_USE_OFFSET;
            if ((int) Words.INTS.getVolatile(buffer, flag) == RegionLayout.LOCK_KEYED) {
                keyed++;
            }
        }
        return keyed;
    }

    private static boolean tryAndRelease(Lock lock) {
        if (lock.tryLock()) {
            lock.unlock();
            return true;
        }
        return false;
    }

    private static <T> T inOtherThread(java.util.concurrent.Callable<T> action) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            return other.submit(action).get(30, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
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

package io.hostsync.autoconfigure.shedlock;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.hostsync.EntryMismatchException;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link HostsyncLockProvider} on a real region, with ShedLock's semantics: the cases of
 * ShedLock's own provider test suite ({@code shedlock-test-support}, not on Maven Central for
 * 6.6.0), on a clock the test moves, so that no assertion depends on how fast the machine is.
 */
class HostsyncLockProviderTests {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path directory;

    private SharedRegion region;

    private HostsyncLockProvider provider;

    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void openRegion() {
        this.region = SharedRegion
                .open(RegionOptions.builder("shedlock-" + UUID.randomUUID().toString().substring(0, 8))
                        .directory(this.directory)
                        .build());
        this.provider = new HostsyncLockProvider(this.region);
        ClockProvider.setClock(this.clock);
    }

    @AfterEach
    void closeRegion() {
        ClockProvider.setClock(Clock.systemUTC());
        this.region.close();
    }

    @Test
    void aFreeNameIsLockedAndUnlocked() {
        SimpleLock lock = this.provider.lock(config("report", MINUTE, Duration.ZERO)).orElseThrow();
        assertThat(this.provider.holder("report")).get().satisfies((holder) -> assertThat(holder.self()).isTrue());
        lock.unlock();
        assertThat(this.provider.holder("report")).isEmpty();
    }

    @Test
    void aHeldNameIsNotLockedAgainEvenByTheSameThread() {
        SimpleLock lock = this.provider.lock(config("report", MINUTE, Duration.ZERO)).orElseThrow();
        assertThat(this.provider.lock(config("report", MINUTE, Duration.ZERO))).isEmpty();
        lock.unlock();
    }

    @Test
    void aHeldNameIsNotLockedByAnotherProviderOfTheSameRegion() {
        HostsyncLockProvider other = new HostsyncLockProvider(this.region);
        SimpleLock lock = this.provider.lock(config("report", MINUTE, Duration.ZERO)).orElseThrow();
        assertThat(other.lock(config("report", MINUTE, Duration.ZERO))).isEmpty();
        lock.unlock();
        assertThat(other.lock(config("report", MINUTE, Duration.ZERO))).isPresent();
    }

    @Test
    void twoNamesAreIndependent() {
        SimpleLock first = this.provider.lock(config("report", MINUTE, Duration.ZERO)).orElseThrow();
        SimpleLock second = this.provider.lock(config("cleanup", MINUTE, Duration.ZERO)).orElseThrow();
        first.unlock();
        second.unlock();
    }

    @Test
    void aNameIsLockedAgainRightAfterItsUnlockWithoutLockAtLeastFor() {
        for (int i = 0; i < 10; i++) {
            SimpleLock lock = this.provider.lock(config("report", MINUTE, Duration.ZERO)).orElseThrow();
            assertThat(this.provider.lock(config("report", MINUTE, Duration.ZERO))).isEmpty();
            lock.unlock();
        }
    }

    @Test
    void anUnlockedNameStaysTakenUntilLockAtLeastForHasPassed() {
        this.provider.lock(config("report", MINUTE, Duration.ofSeconds(10))).orElseThrow().unlock();
        this.clock.advance(Duration.ofSeconds(9));
        assertThat(this.provider.lock(config("report", MINUTE, Duration.ZERO))).as("within lockAtLeastFor").isEmpty();
        this.clock.advance(Duration.ofSeconds(1));
        assertThat(this.provider.lock(config("report", MINUTE, Duration.ZERO))).as("after lockAtLeastFor").isPresent();
    }

    @Test
    void aLiveHoldersLockExpiresAfterLockAtMostFor() {
        this.provider.lock(config("report", Duration.ofSeconds(30), Duration.ZERO)).orElseThrow();
        this.clock.advance(Duration.ofSeconds(29));
        assertThat(this.provider.lock(config("report", MINUTE, Duration.ZERO))).isEmpty();
        this.clock.advance(Duration.ofSeconds(1));
        assertThat(this.provider.holder("report")).as("expired").isEmpty();
        assertThat(this.provider.lock(config("report", MINUTE, Duration.ZERO))).isPresent();
    }

    @Test
    void anExpiredLockThatAnotherRunTookIsNotUnlockedByTheFirstRun() {
        SimpleLock first = this.provider.lock(config("report", Duration.ofSeconds(30), Duration.ZERO)).orElseThrow();
        this.clock.advance(Duration.ofSeconds(30));
        SimpleLock second = this.provider.lock(config("report", MINUTE, Duration.ZERO)).orElseThrow();
        first.unlock();
        assertThat(this.provider.lock(config("report", MINUTE, Duration.ZERO))).as("the second run still holds it")
                .isEmpty();
        second.unlock();
    }

    @Test
    void theHolderExtendsItsLockBeyondTheFirstLockAtMostFor() {
        SimpleLock lock = this.provider.lock(config("report", Duration.ofSeconds(2), Duration.ZERO)).orElseThrow();
        SimpleLock extended = lock.extend(Duration.ofSeconds(10), Duration.ZERO).orElseThrow();
        SimpleLock again = extended.extend(Duration.ofSeconds(10), Duration.ZERO).orElseThrow();
        this.clock.advance(Duration.ofSeconds(5));
        assertThat(this.provider.lock(config("report", MINUTE, Duration.ZERO))).as("still held").isEmpty();
        again.unlock();
        assertThat(this.provider.lock(config("report", MINUTE, Duration.ZERO))).isPresent();
    }

    @Test
    void anExtensionsLockAtLeastForHoldsAfterUnlock() {
        SimpleLock lock = this.provider.lock(config("report", Duration.ofSeconds(10), Duration.ZERO)).orElseThrow();
        lock.extend(Duration.ofSeconds(10), Duration.ofSeconds(9)).orElseThrow().unlock();
        assertThat(this.provider.lock(config("report", MINUTE, Duration.ZERO))).isEmpty();
    }

    @Test
    void anExpiredLockIsNotExtended() {
        SimpleLock lock = this.provider.lock(config("report", Duration.ofSeconds(2), Duration.ZERO)).orElseThrow();
        this.clock.advance(Duration.ofSeconds(2));
        assertThat(lock.extend(Duration.ofSeconds(10), Duration.ZERO)).isEmpty();
        assertThat(this.provider.holder("report")).isEmpty();
    }

    @Test
    void aLockIsNeitherExtendedNorUnlockedOnceUnlockedOrExtended() {
        SimpleLock unlocked = this.provider.lock(config("report", MINUTE, Duration.ZERO)).orElseThrow();
        unlocked.unlock();
        assertThatThrownBy(() -> unlocked.extend(MINUTE, Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        SimpleLock extended = this.provider.lock(config("report", MINUTE, Duration.ZERO)).orElseThrow();
        extended.extend(MINUTE, Duration.ZERO).orElseThrow();
        assertThatThrownBy(extended::unlock).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> extended.extend(MINUTE, Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anyNameIsAName() {
        String name = "report for customer 'Zoë' / région #42 — " + "x".repeat(20);
        SimpleLock lock = this.provider.lock(config(name, MINUTE, Duration.ZERO)).orElseThrow();
        assertThat(this.provider.lock(config(name, MINUTE, Duration.ZERO))).isEmpty();
        assertThat(this.provider.lock(config(name + "!", MINUTE, Duration.ZERO))).isPresent();
        lock.unlock();
    }

    @Test
    void threadsThatRaceForANameNeverRunTheJobTogether() throws Exception {
        ClockProvider.setClock(Clock.systemUTC());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int[] counter = new int[1];
        int threads = 8;
        int runsEach = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int done = 0; done < runsEach;) {
                        Optional<SimpleLock> lock = this.provider
                                .lock(new LockConfiguration(ClockProvider.now(), "race", MINUTE, Duration.ZERO));
                        if (lock.isEmpty()) {
                            Thread.yield();
                            continue;
                        }
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        int before = counter[0];
                        Thread.yield();
                        counter[0] = before + 1;
                        inside.decrementAndGet();
                        lock.get().unlock();
                        done++;
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(counter[0]).as("no run lost its increment").isEqualTo(threads * runsEach);
    }

    @Test
    void aMapOfAnotherKindUnderTheSameNameFailsCreatingTheProvider() {
        this.region.state().counter("jobs");
        assertThatThrownBy(() -> new HostsyncLockProvider(this.region, "jobs", 16))
                .isInstanceOf(EntryMismatchException.class);
    }

    @Test
    void recordsPastTheirLockAtLeastForMakeRoomForNewNames() {
        HostsyncLockProvider small = new HostsyncLockProvider(this.region, "small", 4);
        List<SimpleLock> held = new ArrayList<>();
        int names = 0;
        for (; names < 64; names++) {
            Optional<SimpleLock> lock;
            try {
                lock = small.lock(config("job-" + names, MINUTE, Duration.ofSeconds(1)));
            } catch (IllegalStateException full) {
                assertThat(full).hasMessageContaining("has no room for job 'job-" + names + "'")
                        .hasMessageContaining("hostsync.shedlock.max-jobs");
                break;
            }
            held.add(lock.orElseThrow());
        }
        assertThat(names).as("the map filled up").isBetween(1, 63);
        held.forEach(SimpleLock::unlock);
        this.clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 64; i++) {
            small.lock(config("other-" + i, MINUTE, Duration.ZERO)).orElseThrow().unlock();
        }
    }

    private LockConfiguration config(String name, Duration lockAtMostFor, Duration lockAtLeastFor) {
        return new LockConfiguration(ClockProvider.now(), name, lockAtMostFor, lockAtLeastFor);
    }

    /** A clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {

        private volatile Instant now = Instant.parse("2026-12-04T12:00:00Z");

        void advance(Duration duration) {
            this.now = this.now.plus(duration);
        }

        @Override
        public Instant instant() {
            return this.now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

package io.hostsync.autoconfigure.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.hostsync.RWLock;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncProperties.Health.Scope;
import io.hostsync.autoconfigure.testing.OtherProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link HostsyncHealthIndicator}.
 */
class HostsyncHealthIndicatorTests {

    private static final Duration MAX_HOLD = Duration.ofSeconds(1);

    @TempDir
    Path directory;

    private final AtomicLong nanoTime = new AtomicLong();

    private SharedRegion region;

    /** With the default scope, {@link Scope#PROCESS}. */
    private HostsyncHealthIndicator indicator;

    /** With {@link Scope#HOST}. */
    private HostsyncHealthIndicator hostIndicator;

    @BeforeEach
    void openRegion() {
        this.region = SharedRegion.open(RegionOptions.builder("health-" + UUID.randomUUID().toString().substring(0, 8))
                .directory(this.directory)
                .build());
        this.indicator = new HostsyncHealthIndicator(List.of(this.region), MAX_HOLD, Scope.PROCESS, this.nanoTime::get,
                false);
        this.hostIndicator = new HostsyncHealthIndicator(List.of(this.region), MAX_HOLD, Scope.HOST,
                this.nanoTime::get, false);
    }

    @AfterEach
    void closeRegion() {
        this.indicator.close();
        this.hostIndicator.close();
        this.region.close();
    }

    @Test
    void whenNoLockIsHeldThenHealthIsUpAndShowsEveryLockFree() {
        this.region.lock("cache-rebuild");
        Health health = this.indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("maxHoldMillis", 1000L).doesNotContainKey("problems");
        assertThat(regionDetails(health)).containsEntry("participants", 1);
        assertThat(lockDetails(health, "default")).containsEntry("state", "free")
                .containsEntry("possiblyTorn", false)
                .doesNotContainKey("writerSlot");
        assertThat(lockDetails(health, "cache-rebuild")).containsEntry("state", "free");
    }

    @Test
    void aWriteHoldShorterThanTheMaximumIsUpAndShowsTheWriter() {
        RWLock lock = this.region.lock();
        lock.writeLock().lock();
        try {
            assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
            advance(MAX_HOLD);
            Health health = this.indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(lockDetails(health, "default")).containsEntry("state", "write")
                    .containsEntry("writerSlot", this.region.slot())
                    .containsEntry("writerPid", ProcessHandle.current().pid())
                    .containsEntry("heldForAtLeastMillis", 1000L);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Test
    void aWriteHoldLongerThanTheMaximumIsDownUntilItIsReleased() {
        RWLock lock = this.region.lock();
        lock.writeLock().lock();
        try {
            this.indicator.health();
            advance(MAX_HOLD.plusMillis(1));
            Health health = this.indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(problems(health)).singleElement()
                    .asString()
                    .contains("Lock 'default' of region '" + this.region.name() + "' has been write-held by slot "
                            + this.region.slot() + " (pid " + ProcessHandle.current().pid())
                    .contains("for at least 1001 ms, longer than hostsync.health.max-hold (1000 ms)");
        } finally {
            lock.writeLock().unlock();
        }
        assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aNewWriteHoldIsTimedFromWhenItWasFirstSeenNotFromThePreviousOne() {
        RWLock lock = this.region.lock();
        lock.writeLock().lock();
        this.indicator.health();
        lock.writeLock().unlock();
        lock.writeLock().lock();
        try {
            advance(MAX_HOLD.multipliedBy(2));
            assertThat(this.indicator.health().getStatus()).as("a new hold, first seen now").isEqualTo(Status.UP);
            advance(MAX_HOLD.multipliedBy(2));
            assertThat(this.indicator.health().getStatus()).isEqualTo(Status.DOWN);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Test
    void aHoldIsTimedFromTheFirstSampleThatSawItEvenWithoutAHealthCheck() {
        RWLock lock = this.region.lock();
        lock.writeLock().lock();
        try {
            this.indicator.sample();
            advance(MAX_HOLD.multipliedBy(2));
            assertThat(this.indicator.health().getStatus()).isEqualTo(Status.DOWN);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Test
    void theBackgroundSamplerLetsTheFirstHealthCheckAfterALongHoldReportIt() throws Exception {
        try (HostsyncHealthIndicator sampled = new HostsyncHealthIndicator(List.of(this.region),
                Duration.ofMillis(100), Scope.PROCESS)) {
            sampled.start();
            RWLock lock = this.region.lock();
            lock.writeLock().lock();
            try {
                Thread.sleep(400);
                assertThat(sampled.health().getStatus()).isEqualTo(Status.DOWN);
            } finally {
                lock.writeLock().unlock();
            }
            assertThat(sampled.health().getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void creatingTheIndicatorStartsNoSamplerAndStoppingItStopsTheSampler() throws Exception {
        try (HostsyncHealthIndicator sampled = new HostsyncHealthIndicator(List.of(this.region),
                Duration.ofMillis(100), Scope.PROCESS)) {
            assertThat(sampled.isRunning()).isFalse();
            RWLock lock = this.region.lock();
            lock.writeLock().lock();
            try {
                Thread.sleep(400);
                assertThat(sampled.health().getStatus()).as("no sample before this check saw the hold")
                        .isEqualTo(Status.UP);
            } finally {
                lock.writeLock().unlock();
            }
            sampled.start();
            assertThat(sampled.isRunning()).isTrue();
            sampled.stop();
            assertThat(sampled.isRunning()).isFalse();
        }
    }

    @Test
    void aLongWriteHoldOfAnotherProcessIsAHostProblemListedWhileUpAndDownOnlyWithScopeHost() throws Exception {
        try (OtherProcess other = OtherProcess.holding(this.directory, this.region.name(), "default", "write")) {
            this.indicator.health();
            this.hostIndicator.health();
            advance(MAX_HOLD.plusMillis(1));
            Health process = this.indicator.health();
            assertThat(process.getStatus()).isEqualTo(Status.UP);
            assertThat(process.getDetails()).doesNotContainKey("problems").containsEntry("scope", "process");
            assertThat(hostProblems(process)).singleElement()
                    .asString()
                    .contains("Lock 'default' of region '" + this.region.name() + "' has been write-held by slot")
                    .contains("(pid " + other.pid() + " on ");
            Health host = this.hostIndicator.health();
            assertThat(host.getStatus()).isEqualTo(Status.DOWN);
            assertThat(problems(host)).isEqualTo(hostProblems(process));
            assertThat(host.getDetails()).doesNotContainKey("hostProblems").containsEntry("scope", "host");
        }
    }

    @Test
    void readHoldsNeverMakeHealthDown() {
        RWLock lock = this.region.lock();
        lock.readLock().lock();
        try {
            this.indicator.health();
            advance(Duration.ofHours(1));
            Health health = this.indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(lockDetails(health, "default")).containsEntry("state", "read").containsEntry("readHolds", 1L);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Test
    void aLockWhoseWriterDiedHoldingItIsAHostProblemDownWithScopeHostUntilSomeoneMarksItConsistent() throws Exception {
        RWLock lock = this.region.lock();
        try (OtherProcess other = OtherProcess.holding(this.directory, this.region.name(), "default", "write")) {
            Health held = this.indicator.health();
            assertThat(held.getStatus()).isEqualTo(Status.UP);
            assertThat(lockDetails(held, "default")).containsEntry("writerPid", other.pid());
            other.kill();
        }
        assertThat(lock.writeLock().tryLock(30, TimeUnit.SECONDS)).isTrue();
        lock.writeLock().unlock();
        Health listed = this.indicator.health();
        assertThat(listed.getStatus()).as("with scope process: listed, not DOWN").isEqualTo(Status.UP);
        assertThat(hostProblems(listed)).singleElement().asString().contains("is possibly torn");
        Health torn = this.hostIndicator.health();
        assertThat(torn.getStatus()).isEqualTo(Status.DOWN);
        assertThat(lockDetails(torn, "default")).containsEntry("possiblyTorn", true).containsEntry("recoveries", 1L);
        assertThat(problems(torn)).singleElement()
                .asString()
                .contains("Lock 'default' of region '" + this.region.name() + "' is possibly torn")
                .contains("acknowledge by taking the write lock and calling RWLock.markConsistent()");
        lock.writeLock().lock();
        try {
            lock.markConsistent();
        } finally {
            lock.writeLock().unlock();
        }
        assertThat(this.hostIndicator.health().getStatus()).isEqualTo(Status.UP);
        assertThat(this.indicator.health().getDetails()).doesNotContainKey("hostProblems");
    }

    @Test
    void aRegionWhoseFileWasRemovedWhileInUseIsDownWithinASecondNamingTheFileAndTheFix() throws Exception {
        this.region.lock("cache-rebuild");
        Files.delete(this.region.file()); // what 'rm' of a live region does
        await().atMost(Duration.ofSeconds(1)).until(() -> this.indicator.health().getStatus().equals(Status.DOWN));
        Health lost = this.indicator.health();
        assertThat(problems(lost)).singleElement()
                .asString()
                .contains(this.region.file().toString())
                .contains("was removed while in use")
                .contains("SharedRegion.delete");
        assertThat(regionDetails(lost)).containsEntry("lost", problems(lost).get(0));
    }

    @Test
    void aRegionWhoseFileWasReplacedByACopyWhileInUseIsDownWithinASecond() throws Exception {
        Path copy = this.directory.resolve("backup");
        Files.copy(this.region.file(), copy);
        Files.move(copy, this.region.file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(1)).until(() -> this.indicator.health().getStatus().equals(Status.DOWN));
        assertThat(problems(this.indicator.health())).singleElement().asString().contains("was replaced while in use");
    }

    @Test
    void theBackgroundSamplerLooksTenTimesPerMaximumHoldAndNotMoreOftenThanEveryTenMilliseconds() {
        assertThat(HostsyncHealthIndicator.sampleInterval(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(3));
        assertThat(HostsyncHealthIndicator.sampleInterval(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(20));
        assertThat(HostsyncHealthIndicator.sampleInterval(Duration.ofMillis(50))).isEqualTo(Duration.ofMillis(10));
        assertThat(HostsyncHealthIndicator.sampleInterval(Duration.ZERO)).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void aNegativeMaximumHoldIsRefusedNamingTheProperty() {
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () -> new HostsyncHealthIndicator(List.of(this.region), Duration.ofSeconds(-1), Scope.PROCESS))
                .withMessageContaining("hostsync.health.max-hold must be zero or more");
    }

    private void advance(Duration duration) {
        this.nanoTime.addAndGet(duration.toNanos());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> regionDetails(Health health) {
        return ((Map<String, Map<String, Object>>) health.getDetails().get("regions")).get(this.region.name());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> lockDetails(Health health, String lock) {
        return ((Map<String, Map<String, Object>>) regionDetails(health).get("locks")).get(lock);
    }

    @SuppressWarnings("unchecked")
    private static List<String> problems(Health health) {
        return (List<String>) health.getDetails().get("problems");
    }

    @SuppressWarnings("unchecked")
    private static List<String> hostProblems(Health health) {
        return (List<String>) health.getDetails().get("hostProblems");
    }
}

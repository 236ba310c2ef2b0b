package io.hostsync.autoconfigure.metrics;

import java.lang.ref.Reference;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

import io.hostsync.RWLock;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.testing.OtherProcess;
import io.hostsync.internal.region.RegionLayout;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedMap;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link HostsyncMeterBinder}.
 */
class HostsyncMeterBinderTests {

    private static final String HOST = HostsyncMeterNames.SCOPE_HOST;

    private static final String PROCESS = HostsyncMeterNames.SCOPE_PROCESS;

    @TempDir
    Path directory;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private SharedRegion region;

    private HostsyncMeterBinder binder;

    @BeforeEach
    void openRegion() {
        this.region = SharedRegion.open(RegionOptions.builder("meters-" + UUID.randomUUID().toString().substring(0, 8))
                .directory(this.directory)
                .build());
    }

    @AfterEach
    void closeRegion() {
        if (this.binder != null) {
            this.binder.close();
        }
        this.region.close();
    }

    @Test
    void everyLockInTheRegionHasEveryMeterRegisteredWithZerosBeforeItIsFirstTaken() {
        this.region.lock("cache-rebuild");
        bind();
        for (String lock : List.of("default", "cache-rebuild")) {
            for (String scope : List.of(HOST, PROCESS)) {
                assertThat(lockMeter(HostsyncMeterNames.LOCK_ACQUIRE, lock, scope).functionTimer().count()).isZero();
                assertThat(lockMeter(HostsyncMeterNames.LOCK_TIMEOUTS, lock, scope).functionCounter().count()).isZero();
                assertThat(lockMeter(HostsyncMeterNames.LOCK_RECOVERIES, lock, scope).functionCounter().count())
                        .isZero();
                assertThat(lockMeter(HostsyncMeterNames.LOCK_CONTENDED, lock, scope).functionCounter().count())
                        .isZero();
                for (String mode : List.of("read", "write")) {
                    assertThat(gauge(HostsyncMeterNames.LOCK_WAITING, lock, mode, scope)).isZero();
                    assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, lock, mode, scope)).isZero();
                }
            }
            assertThat(meter(HostsyncMeterNames.LOCK_POSSIBLY_TORN).tag("lock", lock).gauge().value()).isZero();
            for (String mode : List.of("read", "write")) {
                assertThat(meter(HostsyncMeterNames.LOCK_HOLD).tags("lock", lock, "mode", mode).timer().count())
                        .isZero();
                for (String outcome : List.of("acquired", "timeout", "interrupted")) {
                    assertThat(meter(HostsyncMeterNames.LOCK_WAIT).tags("lock", lock, "mode", mode, "outcome", outcome)
                            .timer()
                            .count()).isZero();
                }
            }
        }
    }

    @Test
    void everySharedMapHasItsSizeCapacityAndRecoveriesForTheWholeHost() {
        SharedMap<String, String> prices = this.region.state()
                .map("prices", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(500, 24));
        bind();
        RequiredSearch size = meter(HostsyncMeterNames.MAP_SIZE).tag(HostsyncMeterNames.TAG_MAP, "prices");
        assertThat(size.gauge().value()).isZero();
        prices.put("EURUSD", "1.08");
        prices.put("GBPUSD", "1.27");
        assertThat(size.gauge().value()).as("read from the region at each reading").isEqualTo(2);
        assertThat(meter(HostsyncMeterNames.MAP_CAPACITY).tag(HostsyncMeterNames.TAG_MAP, "prices").gauge().value())
                .isEqualTo(500);
        assertThat(meter(HostsyncMeterNames.MAP_RECOVERIES)
                .tag(HostsyncMeterNames.TAG_MAP, "prices")
                .functionCounter()
                .count()).isZero();
    }

    @Test
    void everySharedMapCountsThisProcesssOperationsByOperationAndResultFromZero() {
        SharedMap<String, String> prices = this.region.state()
                .map("prices", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(500, 24));
        bind();
        for (String operation : List.of("get", "put", "put-if-absent", "remove", "replace", "compute",
                "compute-if-absent", "compute-if-present", "merge")) {
            for (String result : List.of("hit", "miss")) {
                assertThat(operations("prices", operation, result)).as("%s %s before any", operation, result).isZero();
            }
        }
        prices.get("EURUSD");
        prices.put("EURUSD", "1.08");
        prices.put("EURUSD", "1.09");
        prices.get("EURUSD");
        prices.get("EURUSD");
        prices.remove("GBPUSD");
        assertThat(operations("prices", "get", "miss")).isOne();
        assertThat(operations("prices", "get", "hit")).isEqualTo(2);
        assertThat(operations("prices", "put", "miss")).isOne();
        assertThat(operations("prices", "put", "hit")).isOne();
        assertThat(operations("prices", "remove", "miss")).isOne();
        assertThat(this.registry.find(HostsyncMeterNames.MAP_OPERATIONS).counters()).as("bounded: 9 operations x 2")
                .hasSize(18);
    }

    @Test
    void aMapFirstUsedAfterBindingGetsItsOperationCountersThenAndCloseRemovesThem() {
        bind();
        SharedMap<String, String> later = this.region.state()
                .map("later", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(100, 16));
        assertThat(operations("later", "merge", "hit")).isZero();
        later.merge("a", "1", String::concat);
        later.merge("a", "2", String::concat);
        assertThat(operations("later", "merge", "miss")).isOne();
        assertThat(operations("later", "merge", "hit")).isOne();
        this.binder.close();
        this.binder = null;
        assertThat(this.registry.find(HostsyncMeterNames.MAP_OPERATIONS).counters()).isEmpty();
        later.merge("a", "3", String::concat); // counts nowhere, fails nothing
        assertThat(later.get("a")).isEqualTo("123");
    }

    private double operations(String map, String operation, String result) {
        return meter(HostsyncMeterNames.MAP_OPERATIONS)
                .tags(HostsyncMeterNames.TAG_MAP, map, HostsyncMeterNames.TAG_OPERATION, operation,
                        HostsyncMeterNames.TAG_RESULT, result)
                .counter()
                .count();
    }

    @Test
    void regionMetersShowItsSizeUsageAndParticipantsInBytes() {
        bind();
        assertThat(meter(HostsyncMeterNames.REGION_SIZE).gauge().value()).isEqualTo(this.region.size());
        assertThat(meter(HostsyncMeterNames.REGION_SIZE).gauge().getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(meter(HostsyncMeterNames.REGION_USED).gauge().value()).isEqualTo(this.region.usedBytes())
                .isPositive();
        assertThat(meter(HostsyncMeterNames.REGION_USED).gauge().getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(meter(HostsyncMeterNames.REGION_PARTICIPANTS).gauge().value()).isOne();
    }

    @Test
    void aRegionLostWhileInUseIsCountedInRegionFailuresWhichIsRegisteredWithZeroUpFront() throws Exception {
        bind();
        assertThat(meter(HostsyncMeterNames.REGION_FAILURES).functionCounter().count()).isZero();
        java.nio.file.Files.delete(this.region.file()); // what 'rm' of a live region does
        await().atMost(java.time.Duration.ofSeconds(1))
                .untilAsserted(
                        () -> assertThat(meter(HostsyncMeterNames.REGION_FAILURES).functionCounter().count()).isOne());
    }

    @Test
    void everyMeterOfALostRegionStillReadsSoThatAScrapeDoesNotFail() throws Exception {
        bind();
        try (OtherProcess other = OtherProcess.holding(this.directory, this.region.name(), "default", "write")) {
            java.nio.file.Files.delete(this.region.file());
            await().atMost(java.time.Duration.ofSeconds(1)).until(() -> this.region.failure().isPresent());
            for (io.micrometer.core.instrument.Meter meter : this.registry.getMeters()) {
                assertThat(meter.measure()).as("%s", meter.getId()).allSatisfy((measurement) -> measurement.getValue());
            }
            assertThat(meter(HostsyncMeterNames.REGION_FAILURES).functionCounter().count()).isOne();
        }
    }

    @Test
    void everyMeterHasADescriptionAndNoneIsTaggedByProcessOrThread() {
        bind();
        assertThat(this.registry.getMeters()).isNotEmpty().allSatisfy((meter) -> {
            assertThat(meter.getId().getDescription()).as(meter.getId().toString()).isNotBlank();
            assertThat(meter.getId().getTags()).extracting((tag) -> tag.getKey())
                    .isSubsetOf(Set.of("region", "lock", "mode", "outcome", "scope"));
        });
    }

    @Test
    void locksTakenInThisProcessShowInAcquisitionsAndHoldersOfBothScopes() {
        bind();
        RWLock lock = this.region.lock();
        lock.readLock().lock();
        lock.readLock().lock();
        try {
            assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "read", HOST)).isEqualTo(2);
            assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "read", PROCESS)).isEqualTo(2);
            assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "write", HOST)).isZero();
        } finally {
            lock.readLock().unlock();
            lock.readLock().unlock();
        }
        lock.writeLock().lock();
        try {
            assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "write", HOST)).isOne();
            assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "write", PROCESS)).isOne();
            assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "read", HOST)).isZero();
        } finally {
            lock.writeLock().unlock();
        }
        assertThat(lockMeter(HostsyncMeterNames.LOCK_ACQUIRE, "default", HOST).functionTimer().count())
                .isEqualTo(lock.hostStatistics().acquisitions())
                .isPositive();
        assertThat(lockMeter(HostsyncMeterNames.LOCK_ACQUIRE, "default", PROCESS).functionTimer().count())
                .isEqualTo(lock.processStatistics().acquisitions());
        assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "write", HOST)).isZero();
    }

    @Test
    void aReaderWaitingForAWriterShowsAsWaitingAndItsWaitIsTimed() throws Exception {
        bind();
        RWLock lock = this.region.lock();
        Lock writeLock = lock.writeLock();
        writeLock.lock();
        CompletableFuture<Boolean> reader;
        try {
            reader = CompletableFuture.supplyAsync(() -> {
                try {
                    boolean locked = lock.readLock().tryLock(30, TimeUnit.SECONDS);
                    if (locked) {
                        lock.readLock().unlock();
                    }
                    return locked;
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> gauge(HostsyncMeterNames.LOCK_WAITING, "default", "read", HOST) == 1);
            assertThat(gauge(HostsyncMeterNames.LOCK_WAITING, "default", "read", PROCESS)).isOne();
            Thread.sleep(20);
        } finally {
            writeLock.unlock();
        }
        assertThat(reader.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gauge(HostsyncMeterNames.LOCK_WAITING, "default", "read", HOST)).isZero();
        assertThat(lockMeter(HostsyncMeterNames.LOCK_CONTENDED, "default", HOST).functionCounter().count()).isOne();
        assertThat(lockMeter(HostsyncMeterNames.LOCK_ACQUIRE, "default", HOST).functionTimer()
                .totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20);
    }

    @Test
    void anAttemptThatGivesUpIsCountedAsATimeout() throws Exception {
        bind();
        RWLock lock = this.region.lock();
        lock.writeLock().lock();
        try {
            boolean locked = CompletableFuture.supplyAsync(() -> {
                try {
                    return lock.readLock().tryLock(20, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }).get(30, TimeUnit.SECONDS);
            assertThat(locked).isFalse();
        } finally {
            lock.writeLock().unlock();
        }
        assertThat(lockMeter(HostsyncMeterNames.LOCK_TIMEOUTS, "default", HOST).functionCounter().count()).isOne();
        assertThat(lockMeter(HostsyncMeterNames.LOCK_TIMEOUTS, "default", PROCESS).functionCounter().count()).isOne();
    }

    @Test
    void hostScopeAddsUpEveryProcessOnTheHostAndProcessScopeOnlyThisOne() throws Exception {
        bind();
        try (OtherProcess other = OtherProcess.holding(this.directory, this.region.name(), "default", "read")) {
            assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "read", HOST)).isOne();
            assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "read", PROCESS)).isZero();
            assertThat(lockMeter(HostsyncMeterNames.LOCK_ACQUIRE, "default", HOST).functionTimer().count()).isOne();
            assertThat(lockMeter(HostsyncMeterNames.LOCK_ACQUIRE, "default", PROCESS).functionTimer().count())
                    .isZero();
            assertThat(meter(HostsyncMeterNames.REGION_PARTICIPANTS).gauge().value()).isEqualTo(2);
            other.release();
        }
        assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "read", HOST)).isZero();
        assertThat(meter(HostsyncMeterNames.REGION_PARTICIPANTS).gauge().value()).isOne();
    }

    @Test
    void aWriterKilledHoldingTheLockIsCountedAsARecoveryAndMarksTheLockPossiblyTorn() throws Exception {
        bind();
        RWLock lock = this.region.lock();
        try (OtherProcess other = OtherProcess.holding(this.directory, this.region.name(), "default", "write")) {
            assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "write", HOST)).isOne();
            assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "write", PROCESS)).isZero();
            other.kill();
        }
        assertThat(lock.writeLock().tryLock(30, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(meter(HostsyncMeterNames.LOCK_POSSIBLY_TORN).gauge().value()).isOne();
            assertThat(lockMeter(HostsyncMeterNames.LOCK_RECOVERIES, "default", HOST).functionCounter().count())
                    .isOne();
            assertThat(lockMeter(HostsyncMeterNames.LOCK_RECOVERIES, "default", PROCESS).functionCounter().count())
                    .isOne();
            lock.markConsistent();
        } finally {
            lock.writeLock().unlock();
        }
        assertThat(meter(HostsyncMeterNames.LOCK_POSSIBLY_TORN).gauge().value()).isZero();
    }

    @Test
    void aScrapeComputesALocksStatisticsOncePerScopeHoweverManyMetersShowThem() {
        AtomicInteger computations = new AtomicInteger();
        List<Meter> meters = new ArrayList<>();
        HostsyncMeterBinder.Snapshot snapshot = HostsyncMeterBinder.bindScope(this.region.lock(),
                Tags.of("lock", "counted"), HOST, (lock) -> {
                    computations.incrementAndGet();
                    return lock.hostStatistics();
                }, RWLock::processStatistics, (statistics) -> statistics.writerSlot() >= 0, this.registry, meters);
        assertThat(meters).hasSizeGreaterThan(5);
        scrape(meters);
        assertThat(computations).as("host statistics computed by one scrape of %d meters", meters.size()).hasValue(1);
        scrape(meters);
        assertThat(computations).as("the next scrape computes them again").hasValue(2);
        Reference.reachabilityFence(snapshot); // the meters hold it weakly, as in the binder
    }

    @Test
    void theMetersStillReadAfterAGarbageCollection() {
        bind();
        for (int i = 0; i < 3; i++) {
            System.gc(); // Micrometer holds what a meter reads weakly: the binder must hold it
        }
        assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "read", HOST)).isZero();
        assertThat(gauge(HostsyncMeterNames.LOCK_WAITING, "default", "read", PROCESS)).isZero();
        assertThat(lockMeter(HostsyncMeterNames.LOCK_CONTENDED, "default", HOST).functionCounter().count()).isZero();
    }

    @Test
    void aMeterReadAgainSeesTheLockAsItIsNow() {
        bind();
        RWLock lock = this.region.lock();
        assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "read", HOST)).isZero();
        lock.readLock().lock();
        try {
            assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "read", HOST)).isOne();
        } finally {
            lock.readLock().unlock();
        }
        assertThat(gauge(HostsyncMeterNames.LOCK_HOLDERS, "default", "read", HOST)).isZero();
    }

    /** What a registry does when scraped: every meter measured once. */
    private static void scrape(List<Meter> meters) {
        meters.forEach((meter) -> meter.measure().forEach(Measurement::getValue));
    }

    @Test
    void closeRemovesEveryMeterTheBinderRegistered() {
        bind();
        assertThat(this.registry.getMeters()).isNotEmpty();
        this.binder.close();
        assertThat(this.registry.getMeters()).isEmpty();
    }

    @Test
    void regionsWithTheSameNameAreBoundOnce() {
        try (SharedRegion again = SharedRegion.open(this.region.options())) {
            this.binder = new HostsyncMeterBinder(List.of(this.region, again));
            this.binder.bindTo(this.registry);
            assertThat(this.registry.find(HostsyncMeterNames.REGION_SIZE).gauges()).hasSize(1);
            assertThat(this.binder).hasToString("HostsyncMeterBinder[" + this.region.name() + "]");
        }
    }

    /**
     * A slot's read acquisitions are stored in 40 bits of its holder word and wrap after 2^40 (hours
     * at full speed). Here the stored counter is set 3 short of the wrap through a mapping of the
     * region file; the acquire meters must keep growing through the wrap, not fall to 3.
     */
    @Test
    void acquisitionMetersKeepGrowingWhenTheStoredReadAcquisitionCounterWraps() throws Exception {
        long nearWrap = (1L << 40) - 3;
        try (FileChannel channel = FileChannel.open(this.region.file(), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, this.region.size());
            mapping.order(RegionLayout.BYTE_ORDER)
                    .putLong(RegionLayout.holderOffset(this.region.header(), this.region.slot(), 0), nearWrap << 24);
        }
        bind();
        RWLock lock = this.region.lock();
        double host = lockMeter(HostsyncMeterNames.LOCK_ACQUIRE, "default", HOST).functionTimer().count();
        double process = lockMeter(HostsyncMeterNames.LOCK_ACQUIRE, "default", PROCESS).functionTimer().count();
        assertThat(host).isEqualTo(nearWrap);
        for (int i = 1; i <= 6; i++) {
            lock.readLock().lock();
            lock.readLock().unlock();
            assertThat(lockMeter(HostsyncMeterNames.LOCK_ACQUIRE, "default", HOST).functionTimer().count())
                    .isEqualTo(host + i);
            assertThat(lockMeter(HostsyncMeterNames.LOCK_ACQUIRE, "default", PROCESS).functionTimer().count())
                    .isEqualTo(process + i);
        }
    }

    private void bind() {
        this.binder = new HostsyncMeterBinder(List.of(this.region));
        this.binder.bindTo(this.registry);
    }

    private RequiredSearch meter(String name) {
        return this.registry.get(name).tag(HostsyncMeterNames.TAG_REGION, this.region.name());
    }

    private RequiredSearch lockMeter(String name, String lock, String scope) {
        return meter(name).tags(HostsyncMeterNames.TAG_LOCK, lock, HostsyncMeterNames.TAG_SCOPE, scope);
    }

    private double gauge(String name, String lock, String mode, String scope) {
        return lockMeter(name, lock, scope).tag(HostsyncMeterNames.TAG_MODE, mode).gauge().value();
    }
}

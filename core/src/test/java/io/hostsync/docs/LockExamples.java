package io.hostsync.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.hostsync.LockHolder;
import io.hostsync.LockStatistics;
import io.hostsync.LockUpgradeException;
import io.hostsync.RWLock;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.TestRegions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock examples of the docs (README.md, getting-started.md, operations.md), run against a
 * real second process where the example is about one.
 */
class LockExamples {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    private RegionOptions options;
    private SharedRegion region;

    /** What the examples' stand-in methods were asked to do, in order. */
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Long> prices = new ConcurrentHashMap<>(Map.of("apple", 30L));

    @BeforeEach
    void open() {
        options = regions.options("locks").build();
        region = SharedRegion.open(options);
    }

    @AfterEach
    void close() {
        region.close();
    }

    @Test
    void aWriterThatFindsTheLockTornRepairsTheDataAndMarksItConsistent() {
        try (JvmProcess writer = holding("default", "write")) {
            writer.kill(); // kill -9 while it holds the write lock: what it protected may be half written
        }
        // tag::write-lock[]
        RWLock lock = region.lock(); // or region.lock("cache-rebuild"): named locks
        lock.writeLock().lock(); // excludes every thread of every process on the host
        try {
            if (lock.isPossiblyTorn()) { // a writer died mid-update (kill -9, OOM killer...)
                repair();
                lock.markConsistent();
            }
            update();
        } finally {
            lock.writeLock().unlock();
        }
        // end::write-lock[]
        assertThat(calls).containsExactly("repair", "update");
        assertThat(lock.isPossiblyTorn()).isFalse();
        assertThat(lock.hostStatistics().recoveries()).isEqualTo(1);
    }

    @Test
    void aTornLockIsAcknowledgedAfterTheDataIsRebuilt() {
        try (JvmProcess writer = holding("cache-rebuild", "write")) {
            writer.kill();
        }
        // tag::acknowledge-torn[]
        RWLock lock = region.lock("cache-rebuild");
        lock.writeLock().lock();
        try {
            if (lock.isPossiblyTorn()) {
                rebuildCache(); // or check the data
                lock.markConsistent();
            }
        } finally {
            lock.writeLock().unlock();
        }
        // end::acknowledge-torn[]
        assertThat(calls).containsExactly("rebuildCache");
        assertThat(lock.isPossiblyTorn()).isFalse();
    }

    @Test
    void readersShareTheLockAcrossProcesses() {
        try (JvmProcess reader = holding("prices", "read")) {
            assertThat(price("apple")).isEqualTo(30L); // another process holds the read lock too
            assertThat(region.lock("prices").hostStatistics().readHolds()).isEqualTo(1);
        }
    }

    // tag::read-lock[]
    Long price(String item) {
        RWLock lock = region.lock("prices");
        lock.readLock().lock(); // shared with every reader of every process
        try {
            return prices.get(item);
        } finally {
            lock.readLock().unlock();
        }
    }
    // end::read-lock[]

    @Test
    void aJobGuardedByTryLockIsSkippedWhileAnotherProcessRunsIt() throws InterruptedException {
        try (JvmProcess other = holding("nightly-report", "write")) {
            runNightlyReport();
            assertThat(calls).isEmpty();
            other.send("release");
            other.expect("RELEASED", TIMEOUT);
            runNightlyReport();
            assertThat(calls).containsExactly("writeReport");
        }
    }

    void runNightlyReport() throws InterruptedException {
        // tag::try-lock[]
        RWLock lock = region.lock("nightly-report");
        if (lock.writeLock().tryLock(0, TimeUnit.SECONDS)) { // another process is writing it: skip
            try {
                writeReport();
            } finally {
                lock.writeLock().unlock();
            }
        }
        // end::try-lock[]
    }

    @Test
    void aWriterDowngradesToAReadLockWithoutLettingAnotherWriterIn() {
        RWLock lock = region.lock("cache");
        // tag::downgrade[]
        lock.writeLock().lock();
        try {
            update();
            lock.readLock().lock(); // downgrade: take the read lock before giving up the write lock
        } finally {
            lock.writeLock().unlock();
        }
        try {
            use(); // other readers may enter now; writers may not
        } finally {
            lock.readLock().unlock();
        }
        // end::downgrade[]
        assertThat(calls).containsExactly("update", "use");
        assertThat(lock.getReadHoldCount()).isZero();
        assertThat(lock.isWriteLockedByCurrentThread()).isFalse();
    }

    @Test
    void aReaderAskingForTheWriteLockIsRefusedAtOnce() {
        RWLock lock = region.lock("cache");
        lock.readLock().lock();
        try {
            assertThatExceptionOfType(LockUpgradeException.class).isThrownBy(() -> lock.writeLock().lock())
                    .withMessageContaining("release the read lock first");
        } finally {
            lock.readLock().unlock();
        }
    }

    @Test
    void statisticsShowWhoHoldsTheLockOnTheWholeHost() {
        try (JvmProcess writer = holding("cache-rebuild", "write")) {
            String printed = RegionExamples.printedBy(() -> {
                // tag::statistics[]
                RWLock lock = region.lock("cache-rebuild");
                LockStatistics host = lock.hostStatistics(); // every process on the host, read from the region
                System.out.printf("%d taken, %d after waiting, %d timeouts, %d dead holders reclaimed%n",
                        host.acquisitions(), host.contendedAcquisitions(), host.timeouts(), host.recoveries());
                for (LockHolder holder : lock.holders()) { // the live processes holding or waiting now
                    System.out.printf("slot %d: writer=%s, read holds=%d%n",
                            holder.slot(), holder.writer(), holder.readHolds());
                }
                // end::statistics[]
            });
            assertThat(printed).contains("1 taken, 0 after waiting, 0 timeouts, 0 dead holders reclaimed")
                    .contains("writer=true, read holds=0");
        }
    }

    private JvmProcess holding(String lock, String mode) {
        JvmProcess process = JvmProcess.start(List.of(), LockHoldingProcess.class, options.directory().toString(),
                options.name(), lock, mode);
        process.expect("HOLDING", TIMEOUT);
        return process;
    }

    private void repair() {
        calls.add("repair");
    }

    private void update() {
        calls.add("update");
    }

    private void rebuildCache() {
        calls.add("rebuildCache");
    }

    private void use() {
        calls.add("use");
    }

    private void writeReport() {
        calls.add("writeReport");
    }
}

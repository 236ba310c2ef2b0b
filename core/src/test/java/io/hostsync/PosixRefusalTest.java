package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Root;
import io.hostsync.testing.TestRegions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The posix backend is not crash-safe and not usable across PID namespaces: what it refuses and
 * reports instead of hanging, and the operator's reset.
 */
class PosixRefusalTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void aWriterKilledHoldingTheLockIsReportedToWaitersAndAResetRecoversTheLockMarkedTorn() throws Exception {
        RegionOptions options = regions.options("dead-writer").backend(Backend.POSIX).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock();
            killHolding(options, region, "hold-write");

            assertThatThrownBy(() -> lock.writeLock().tryLock(100, TimeUnit.MILLISECONDS))
                    .isInstanceOf(LockHolderDiedException.class)
                    .hasMessageContaining("was not acquired within PT0.1S")
                    .hasMessageContaining("died holding or waiting for it")
                    .hasMessageContaining("SharedRegion.resetLock(\"default\")")
                    .hasMessageContaining("backend robust");
            assertThat(lock.readLock().tryLock()).as("a try does not wait and reports nothing").isFalse();

            ExecutorService untimed = Executors.newSingleThreadExecutor();
            try {
                Future<?> waiter = untimed.submit(() -> lock.readLock().lock());
                assertThatThrownBy(() -> waiter.get(30, TimeUnit.SECONDS))
                        .as("an untimed wait never hangs silently: it learns of the death")
                        .hasCauseInstanceOf(LockHolderDiedException.class);
            } finally {
                untimed.shutdownNow();
            }
            assertThat(lock.hostStatistics().waitingReaders() + lock.hostStatistics().waitingWriters()).isZero();

            assertThat(region.resetLock("default")).as("a dead holder's share was discarded").isTrue();
            assertThat(lock.isPossiblyTorn()).as("the dead process was writing").isTrue();
            assertThat(lock.writeLock().tryLock(5, TimeUnit.SECONDS)).isTrue();
            lock.markConsistent();
            lock.writeLock().unlock();
            assertThat(lock.isPossiblyTorn()).isFalse();
            assertThat(lock.readLock().tryLock()).isTrue();
            lock.readLock().unlock();
        }
    }

    @Test
    void aReaderKilledHoldingTheLockBlocksWritersWithAClearErrorAndAResetDoesNotMarkItTorn() throws Exception {
        RegionOptions options = regions.options("dead-reader").backend(Backend.POSIX).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock();
            killHolding(options, region, "hold-read");
            assertThatThrownBy(() -> lock.writeLock().tryLock(50, TimeUnit.MILLISECONDS))
                    .isInstanceOf(LockHolderDiedException.class).hasMessageContaining("participant slot");
            assertThat(region.resetLock("default")).isTrue();
            assertThat(lock.isPossiblyTorn()).as("only a reader died").isFalse();
            assertThat(lock.writeLock().tryLock(5, TimeUnit.SECONDS)).isTrue();
            lock.writeLock().unlock();
        }
    }

    @Test
    void aResetIsRefusedWhileALiveProcessHoldsTheLock() {
        RegionOptions options = regions.options("live-holder").backend(Backend.POSIX).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock();
            lock.readLock().lock();
            try {
                assertThatThrownBy(() -> region.resetLock("default")).isInstanceOf(RegionInUseException.class)
                        .hasMessageContaining("is alive and holds or waits for it");
            } finally {
                lock.readLock().unlock();
            }
            assertThat(region.resetLock("default")).as("nothing dead to discard").isFalse();
            assertThatThrownBy(() -> region.resetLock("missing")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has no lock 'missing'");
        }
    }

    @Test
    void otherBackendsHaveNothingToReset() {
        for (Backend backend : List.of(Backend.ROBUST, Backend.FILE)) {
            try (SharedRegion region = SharedRegion.open(regions.options("no-reset-" + backend.configName())
                    .backend(backend).build())) {
                assertThatThrownBy(() -> region.resetLock("default")).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("nothing to reset");
            }
        }
    }

    @Test
    void processesMustAgreeOnTheBackend() {
        RegionOptions posix = regions.options("agree").backend(Backend.POSIX).build();
        try (SharedRegion region = SharedRegion.open(posix)) {
            RegionOptions robust = RegionOptions.builder(posix.name()).backend(Backend.ROBUST).build();
            assertThatThrownBy(() -> SharedRegion.open(robust)).isInstanceOf(RegionMismatchException.class)
                    .hasMessageContaining("exists with lock backend posix, but this process asked for robust")
                    .hasMessageContaining("configure backend posix");
        }
    }

    @Test
    void aProcessInAnotherPidNamespaceIsRefusedAndTheOthersAreUnaffected() throws Exception {
        Root.require();
        RegionOptions options = regions.options("namespaces").backend(Backend.POSIX).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            try (JvmProcess other = JvmProcess.startInPidNamespace(LockWorker.class, options.directory().toString(),
                    options.name(), "0", "writes", "1", "10", "0", "posix")) {
                assertThat(other.waitFor(TIMEOUT)).as("the other namespace's JVM fails at open, never hangs")
                        .isNotZero();
                assertThat(other.errors()).contains("BackendRefusedException")
                        .contains("cannot work across PID namespaces").contains("Use backend robust");
            }
            assertThat(region.participants()).hasSize(1);
            RWLock lock = region.lock();
            assertThat(lock.writeLock().tryLock(5, TimeUnit.SECONDS)).isTrue();
            lock.writeLock().unlock();
        }
    }

    /** Starts a worker that takes the lock and stays inside, waits until it holds it, and kills it. */
    private static void killHolding(RegionOptions options, SharedRegion region, String mode) throws Exception {
        try (JvmProcess holder = JvmProcess.start(List.of(), LockWorker.class, options.directory().toString(),
                options.name(), "0", mode, "1", "0", "60000000", "posix")) {
            holder.expect("READY", TIMEOUT);
            holder.send("go");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            // The hold is recorded before glibc is called (so that a death in between is reported):
            // a listed holder may not hold the pthread_rwlock yet.
            while (region.lock().holders().isEmpty() || mode.equals("hold-write") && !LockWorker.dirty(region)) {
                assertThat(System.nanoTime()).as("the worker takes the lock").isLessThan(deadline);
                Thread.sleep(1);
            }
            if (mode.equals("hold-read")) {
                Thread.sleep(500); // a reader marks nothing once inside: let its first native call return
            }
            holder.kill();
        }
    }
}

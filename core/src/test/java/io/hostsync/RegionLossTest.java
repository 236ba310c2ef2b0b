package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.state.SharedCounter;
import io.hostsync.testing.TestRegions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A region lost in this JVM (its file removed or truncated while open): {@link SharedRegion#failure()}
 * says so, every operation refuses, the lost region is not handed out again, and closing every
 * handle lets the path be opened afresh. The same across real processes, while they work:
 * {@link LiveRegionIntegrityTest}.
 */
class RegionLossTest {

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void aSoundRegionReportsNoFailure() {
        try (SharedRegion region = SharedRegion.open(regions.options("sound").build())) {
            assertThat(region.failure()).isEmpty();
        }
    }

    @Test
    void aRegionRemovedWhileOpenRefusesEveryOperationAndIsNotHandedOutAgainUntilEveryHandleCloses() throws IOException {
        RegionOptions options = regions.options("removed").build();
        SharedRegion region = SharedRegion.open(options);
        SharedCounter counter = region.state().counter("hits");
        RWLock lock = region.lock("guarded");
        try {
            Files.delete(options.file());
            String failure = awaitFailure(region);
            assertThat(failure)
                    .startsWith("Region '" + options.name() + "' (" + options.file() + ") was removed while in use")
                    .contains("SharedRegion.delete");
            assertThatThrownBy(counter::incrementAndGet).isInstanceOf(RegionLostException.class).hasMessage(failure);
            assertThatThrownBy(() -> lock.writeLock().lock()).isInstanceOf(RegionLostException.class)
                    .hasMessage(failure);
            assertThatThrownBy(() -> lock.readLock().tryLock()).isInstanceOf(RegionLostException.class);
            assertThatThrownBy(() -> region.state().counter("other")).isInstanceOf(RegionLostException.class);
            assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionLostException.class)
                    .hasMessage(failure);
        } finally {
            region.close();
        }
        try (SharedRegion fresh = SharedRegion.open(options)) {
            assertThat(fresh.failure()).isEmpty();
            assertThat(fresh.createdByThisProcess()).isTrue();
            assertThat(fresh.state().counter("hits").incrementAndGet()).isOne();
        }
    }

    @Test
    void aLockHeldWhenTheRegionIsLostCannotBeReleasedAndItsWaitersStop() throws Exception {
        RegionOptions options = regions.options("held").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock();
            lock.writeLock().lock();
            Throwable[] waiterSaw = new Throwable[1];
            Thread waiter = new Thread(() -> {
                try {
                    lock.writeLock().lock(); // waits for this JVM's own holder
                } catch (Throwable e) {
                    waiterSaw[0] = e;
                }
            });
            waiter.start();
            Files.delete(options.file());
            awaitFailure(region);
            waiter.join(TimeUnit.SECONDS.toMillis(5));
            assertThat(waiter.isAlive()).as("a waiter of a lost region stops waiting").isFalse();
            assertThat(waiterSaw[0]).isInstanceOf(RegionLostException.class);
            assertThatThrownBy(() -> lock.writeLock().unlock()).isInstanceOf(RegionLostException.class);
        }
    }

    @Test
    void aRegionTruncatedWhileOpenIsLostAndItsMemoryNoLongerFaults() throws IOException {
        RegionOptions options = regions.options("truncated").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock();
            try (FileChannel channel = FileChannel.open(options.file(), StandardOpenOption.WRITE)) {
                channel.truncate(4096);
            }
            String failure = awaitFailure(region);
            assertThat(failure).contains(options.file() + ") was truncated while in use: the file has 4096 bytes, and"
                    + " this process maps " + region.size());
            assertThat(Files.readAllLines(Path.of("/proc/self/maps")))
                    .as("the file's mapping was replaced by private memory, so that nothing can fault on it")
                    .noneMatch(line -> line.endsWith(options.file().toString()));
            // These read the mapping without asking whether the region is lost: past the first page, the
            // file's memory would fault; the private memory in its place reads zeros.
            assertThat(region.usedBytes()).isZero();
            assertThat(lock.hostStatistics().readHolds()).isZero();
        }
    }

    /** Waits for the watchdog, which promises a loss within a second; a generous bound against a loaded machine. */
    private static String awaitFailure(SharedRegion region) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (region.failure().isEmpty()) {
            assertThat(System.nanoTime() - deadline).as("the loss of %s was not noticed within 5 s", region.file())
                    .isNegative();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return region.failure().get();
    }
}

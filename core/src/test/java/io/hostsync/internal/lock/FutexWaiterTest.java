package io.hostsync.internal.lock;

import static io.hostsync.internal.region.Words.INTS;
import static io.hostsync.internal.region.Words.LONGS;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.RegionHeader;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.region.RegionHooks;
import io.hostsync.internal.region.RegionLayout;
import io.hostsync.internal.region.RegionMutex;
import io.hostsync.testing.TestRegions;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The check-then-sleep order of a futex wait, with the one interleaving that loses a wake-up
 * forced: another waker's wake lands between the waiter's announcing that it will sleep and its
 * sleeping. The liveness interval here is long (30 s), so a lost wake-up cannot hide behind it;
 * the waiter's backstop ({@link FutexWaiter#BACKSTOP_NANOS}) would end such a sleep, so the wait
 * after the wake must be much shorter than that.
 */
class FutexWaiterTest {

    private static final long LIVENESS_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long SLEEPERS = 1;

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void aWakeBetweenAnnouncingAndSleepingIsNotLost() throws Exception {
        RegionFile region = RegionFile.open(regions.options("futex").build(), NO_HOOKS);
        try {
            MappedByteBuffer buffer = region.buffer;
            int flags = RegionLayout.lockRecordOffset(region.header, 0);
            int futex = flags + RegionLayout.LOCK_FUTEX_OFFSET;
            AtomicBoolean released = new AtomicBoolean();
            AtomicInteger announcements = new AtomicInteger();
            FutexWaiter waiter = new FutexWaiter("futex", "checker", LIVENESS_NANOS, () -> {
            }, () -> {
            });
            FutexWaiter.Word[] word = new FutexWaiter.Word[1];
            word[0] = waiter.word("relay", buffer, futex, region.address + futex, () -> {
                LONGS.getAndBitwiseOr(buffer, flags, SLEEPERS);
                if (announcements.incrementAndGet() == 1) {
                    // An unrelated waker (a reader bouncing off a writer) runs right here: it sees the
                    // sleepers flag, clears it, bumps the word and wakes.
                    wake(buffer, flags, word[0]);
                }
            });

            CompletableFuture<Long> returned = CompletableFuture.supplyAsync(() -> {
                FutexWaiter.Wait wait = waiter.begin(System.nanoTime(), -1, false);
                try {
                    while (!released.get()) {
                        wait.pause(word[0], () -> !released.get());
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                } finally {
                    wait.end();
                }
                return System.nanoTime();
            });
            while (announcements.get() < 1) {
                Thread.onSpinWait();
            }
            Thread.sleep(200); // the waiter is asleep by now, or about to be
            long release = System.nanoTime();
            released.set(true); // what the waiter waits for changes, then the waker wakes
            wake(buffer, flags, word[0]);

            assertThat(returned.get(10, TimeUnit.SECONDS) - release)
                    .as("nanoseconds from the release to the waiter's return")
                    .isLessThan(FutexWaiter.BACKSTOP_NANOS / 2);
            assertThat((int) INTS.getVolatile(buffer, futex)).isGreaterThanOrEqualTo(1);
        } finally {
            region.close();
        }
    }

    /**
     * Sleepers have no timeout of their own but the backstop: the JVM's liveness checker checks for
     * them once per interval, and what it finds wakes them. Here what they wait for changes and
     * nobody wakes them (as when the waker is killed between its change and its wake): the
     * checker's next check must, well before the backstop.
     */
    @Test
    void theCheckerChecksForTheSleepersAndWakesThemWhenItFindsThemFree() throws Exception {
        RegionFile region = RegionFile.open(regions.options("checker").build(), NO_HOOKS);
        try {
            MappedByteBuffer buffer = region.buffer;
            int flags = RegionLayout.lockRecordOffset(region.header, 0);
            int futex = flags + RegionLayout.LOCK_FUTEX_OFFSET;
            AtomicBoolean released = new AtomicBoolean();
            AtomicInteger checks = new AtomicInteger();
            FutexWaiter.Word[] word = new FutexWaiter.Word[1];
            FutexWaiter waiter = new FutexWaiter("futex", "checker", TimeUnit.MILLISECONDS.toNanos(20), () -> {
            }, () -> {
                checks.incrementAndGet();
                if (released.get()) {
                    word[0].wakeAll();
                }
            });
            word[0] = waiter.word("relay", buffer, futex, region.address + futex,
                    () -> LONGS.getAndBitwiseOr(buffer, flags, SLEEPERS));

            CompletableFuture<Long> returned = CompletableFuture.supplyAsync(() -> {
                FutexWaiter.Wait wait = waiter.begin(System.nanoTime(), -1, false);
                try {
                    while (!released.get()) {
                        wait.pause(word[0], () -> !released.get());
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                } finally {
                    wait.end();
                }
                return System.nanoTime();
            });
            Thread.sleep(200); // the waiter is asleep by now
            int checksWhileAsleep = checks.get();
            long release = System.nanoTime();
            released.set(true); // and nobody wakes it

            assertThat(returned.get(10, TimeUnit.SECONDS) - release)
                    .as("nanoseconds from the release to the waiter's return")
                    .isLessThan(FutexWaiter.BACKSTOP_NANOS / 2);
            assertThat(checksWhileAsleep).as("checks by the checker while the waiter slept 200 ms, one per 20 ms")
                    .isGreaterThanOrEqualTo(3);
        } finally {
            region.close();
        }
    }

    /** What every waker does: clears the sleepers flag if set, then bumps the word and wakes. */
    private static void wake(MappedByteBuffer buffer, int flags, FutexWaiter.Word word) {
        long seen = (long) LONGS.getAndBitwiseAnd(buffer, flags, ~SLEEPERS);
        if ((seen & SLEEPERS) != 0) {
            word.wakeAll();
        }
    }

    private static final RegionHooks NO_HOOKS = new RegionHooks() {
        @Override
        public void initialiseLock(long address, RegionHeader header, int index, Path file) {
        }

        @Override
        public void reclaimSlot(MappedByteBuffer buffer, RegionHeader header, int slot, Path file) {
        }

        @Override
        public RegionMutex mutex(RegionFile region, int base, String description) {
            return new HostMutex(region, base, description);
        }
    };
}

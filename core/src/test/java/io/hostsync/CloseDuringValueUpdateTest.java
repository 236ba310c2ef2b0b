package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.state.Codecs;
import io.hostsync.state.SharedValue;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.TestRegions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A value's mutex, like a lock, is not taken away by a close: an update in progress when its
 * region closes finishes before any other process may change the value.
 */
class CloseDuringValueUpdateTest {

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    /**
     * This JVM's update runs while the region closes, and another process then sets the value.
     * Before the mutex was ordered with close, the slot was freed at once: the other process took
     * the mutex over from the "dead" slot, set its value in the middle of the update, and the
     * update then wrote over it (final value "mine", the other's set lost).
     */
    @Test
    void anUpdateInProgressWhenTheRegionClosesFinishesBeforeAnotherProcessWrites() throws Exception {
        RegionOptions options = regions.options("value-close").build();
        SharedRegion closing = SharedRegion.open(options);
        SharedValue<String> greeting = closing.state().value("greeting", Codecs.utf8(), 256);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<String> update = threads.submit(() -> greeting.update(current -> {
                inside.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "mine";
            }));
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
            threads.submit(closing::close).get(30, TimeUnit.SECONDS);
            try (JvmProcess other = JvmProcess.start(List.of(), StateWorker.class, options.directory().toString(),
                    options.name(), "set", "theirs")) {
                other.expect("READY", Duration.ofSeconds(60));
                // The other process writes at once unless the update's mutex keeps it out; give it
                // 3 s to show the bug (it can never succeed while the update holds the mutex).
                boolean wroteDuringTheUpdate;
                try {
                    other.expect("SET", Duration.ofSeconds(3));
                    wroteDuringTheUpdate = true;
                } catch (AssertionError stillWaiting) {
                    wroteDuringTheUpdate = false;
                }
                finish.countDown();
                assertThat(update.get(30, TimeUnit.SECONDS)).isEqualTo("mine");
                assertThat(wroteDuringTheUpdate).as("another process set the value during the update").isFalse();
                other.expect("SET", Duration.ofSeconds(60));
            }
        } finally {
            finish.countDown();
            threads.shutdownNow();
        }
        try (SharedRegion again = SharedRegion.open(options)) {
            assertThat(again.state().value("greeting", Codecs.utf8(), 256).get())
                    .as("the other process's set came after the update").isEqualTo("theirs");
        }
    }
}

package io.hostsync.internal.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The close gate alone: a close never releases the slot while a thread is inside, on the shared count or on its pass. */
class CloseGateTest {

    private final AtomicInteger releases = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private final CloseGate gate = new CloseGate("gate-test", Path.of("/dev/shm/gate-test"), () -> {
        released.set(true);
        releases.incrementAndGet();
    });

    @Test
    void aCloseWithNobodyInsideReleasesTheSlotOnce() {
        gate.enter(gate.pass());
        gate.leave(gate.pass());
        assertThat(gate.close(Duration.ofSeconds(10))).isZero();
        assertThat(gate.close(Duration.ofSeconds(10))).isZero();
        assertThat(releases).hasValue(1);
    }

    @Test
    void aHoldOnAPassOutlivesTheCloseAndItsReleaseFreesTheSlot() {
        CloseGate.Pass pass = gate.pass();
        gate.enter(pass);
        assertThat(gate.close(Duration.ofMillis(20))).as("the hold is still inside").isEqualTo(1);
        assertThat(releases).hasValue(0);
        assertThatThrownBy(() -> gate.enter(pass)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        gate.leave(pass);
        assertThat(releases).as("the last holder to leave releases the slot").hasValue(1);
    }

    @Test
    void aCloseCountsTheSharedCountAndThePassesTogether() {
        gate.enter();
        gate.enter(gate.pass());
        assertThat(gate.close(Duration.ofMillis(20))).isEqualTo(2);
        gate.leave();
        assertThat(releases).hasValue(0);
        gate.leave(gate.pass());
        assertThat(releases).hasValue(1);
    }

    @Test
    void aThreadThatEndedInsideKeepsTheSlotClaimed() throws Exception {
        Thread holder = new Thread(() -> gate.enter(gate.pass()));
        holder.start();
        holder.join();
        enterAndLeaveFromEndedThreads(2048); // sweeps ended threads' passes: not the one still inside
        assertThat(gate.close(Duration.ofMillis(20))).isEqualTo(1);
        assertThat(releases).hasValue(0);
    }

    @Test
    void passesOfThreadsThatEndedOutsideAreDropped() throws Exception {
        enterAndLeaveFromEndedThreads(4096);
        assertThat(gate.registeredPasses()).isLessThan(2048);
        assertThat(gate.close(Duration.ofSeconds(10))).isZero();
        assertThat(releases).hasValue(1);
    }

    @Test
    void noThreadIsEverInsideOnceTheSlotIsReleased() throws Exception {
        // Dekker's pattern under fire: threads enter and leave on their passes (and one on the shared
        // count) while the gate closes; none may find the slot released while it is inside.
        int threads = 4;
        AtomicLong insideAfterRelease = new AtomicLong();
        AtomicLong entries = new AtomicLong();
        CountDownLatch started = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            boolean shared = i == 0;
            Thread worker = new Thread(() -> {
                CloseGate.Pass pass = gate.pass();
                started.countDown();
                while (true) {
                    try {
                        if (shared) {
                            gate.enter();
                        } else {
                            gate.enter(pass);
                        }
                    } catch (IllegalStateException closed) {
                        return;
                    }
                    entries.incrementAndGet();
                    if (released.get()) {
                        insideAfterRelease.incrementAndGet();
                    }
                    if (shared) {
                        gate.leave();
                    } else {
                        gate.leave(pass);
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        started.await();
        while (entries.get() < 100_000) {
            Thread.onSpinWait();
        }
        gate.close(Duration.ofSeconds(30));
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(worker.isAlive()).isFalse();
        }
        assertThat(insideAfterRelease).hasValue(0);
        assertThat(releases).hasValue(1);
    }

    private void enterAndLeaveFromEndedThreads(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> {
                CloseGate.Pass pass = gate.pass();
                gate.enter(pass);
                gate.leave(pass);
            });
            thread.start();
            thread.join();
        }
    }
}

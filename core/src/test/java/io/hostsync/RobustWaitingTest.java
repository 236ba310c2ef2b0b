package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.TestRegions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blocked waiters of the {@code robust} backend sleep instead of burning the CPU, measured on real
 * JVMs with the kernel's count of their CPU time. Native layer only: the portable layer polls by
 * design, and this class is not in its surefire execution. (That no wake-up is lost is forced
 * interleaving by interleaving in {@code FutexWaiterTest}: across processes the window is a few
 * nanoseconds wide, too narrow for a test to hit reliably.)
 */
class RobustWaitingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** How long the writer holds while the others wait: the README's long write (a file reload). */
    private static final long HOLD_MILLIS = 2_500;

    /**
     * CPU the waiting JVMs may use over the whole hold, all threads together. Eight sleeping
     * threads use a few milliseconds; on the code this test was written against they used
     * seconds (both cores), so the margin is wide both ways.
     */
    private static final Duration CPU_BOUND = Duration.ofMillis(500);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void readersBlockedBehindALongWriteSleepInsteadOfSpinning() {
        assertWaitersStayIdle("readers", 4, 0);
    }

    @Test
    void readersAndWritersBlockedBehindALongWriteSleepInsteadOfSpinning() {
        assertWaitersStayIdle("mixed", 2, 2);
    }

    private void assertWaitersStayIdle(String base, int readers, int writers) {
        RegionOptions options = regions.options(base).backend(Backend.ROBUST).build();
        try (SharedRegion region = SharedRegion.open(options);
                JvmProcess holder = start(options);
                JvmProcess first = start(options);
                JvmProcess second = start(options)) {
            holder.send("hold-write");
            holder.expect("HELD", TIMEOUT);
            first.send("block " + readers + " " + writers);
            second.send("block " + readers + " " + writers);
            first.expect("BLOCKED", TIMEOUT);
            second.expect("BLOCKED", TIMEOUT);

            Duration before = cpu(first).plus(cpu(second));
            sleep(HOLD_MILLIS);
            Duration used = cpu(first).plus(cpu(second)).minus(before);

            System.out.printf("RobustWaitingTest %s: %d threads blocked in two JVMs used %d ms of CPU over %d ms%n",
                    base, 2 * (readers + writers), used.toMillis(), HOLD_MILLIS);
            holder.send("release-write");
            holder.expect("RELEASED", TIMEOUT);
            assertThat(first.expect("ACQUIRED", TIMEOUT)).isEqualTo("ACQUIRED " + (readers + writers));
            assertThat(second.expect("ACQUIRED", TIMEOUT)).isEqualTo("ACQUIRED " + (readers + writers));
            assertThat(used).as("CPU time of %d blocked threads in two JVMs over a write hold of %d ms",
                    2 * (readers + writers), HOLD_MILLIS).isLessThan(CPU_BOUND);
        }
    }

    private static JvmProcess start(RegionOptions options) {
        JvmProcess process = JvmProcess.start(List.of(), WaitingProcess.class, options.directory().toString(),
                options.name());
        process.expect("READY", TIMEOUT);
        return process;
    }

    /** The process's CPU time (all its threads, user and system), as the kernel counts it. */
    private static Duration cpu(JvmProcess process) {
        return ProcessHandle.of(process.javaPid()).orElseThrow().info().totalCpuDuration().orElseThrow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

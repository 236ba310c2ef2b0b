package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.state.SharedSemaphore;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.TestRegions;
import io.hostsync.testing.ThreadStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Threads blocked on a {@link SharedSemaphore} sleep, measured on real JVMs with the kernel's count
 * of each thread's CPU time, and every one of them is served once permits come back. Native layer
 * only, like {@code RobustWaitingTest}: the portable layer polls by design.
 */
class SemaphoreWaitingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** How long this JVM holds every permit while the others wait. */
    private static final long HOLD_MILLIS = 2_500;

    /**
     * CPU the blocked acquirers may use, per acquirer and per second (with the hostsync threads of
     * their JVMs). When every acquirer polled every liveness interval and slept on the word every
     * mutex release moves, each attempt woke the others, who tried and woke it back: 16 acquirers
     * used 2.6 s of CPU over the 2.5 s hold (64 ms per acquirer per second, both cores busy). Now
     * one acquirer per JVM waits for the host, checking once per liveness interval whether a
     * holder died, and the others wait on a JVM-local lock: about 0.5 ms.
     */
    private static final double CPU_MILLIS_PER_WAITER_PER_SECOND = 2.0;

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void acquirersBlockedOnAnEmptySemaphoreSleepAndAllGetInOncePermitsReturn() throws Exception {
        RegionOptions options = regions.options("semaphore").backend(Backend.ROBUST).build();
        int threads = 8;
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedSemaphore pool = region.state().semaphore("pool", 3);
            pool.acquire(3);
            try (JvmProcess first = start(options, threads); JvmProcess second = start(options, threads)) {
                first.expect("WAITING", TIMEOUT);
                second.expect("WAITING", TIMEOUT);
                Thread.sleep(300); // every acquirer has tried and is waiting

                long before = cpu(first) + cpu(second);
                Thread.sleep(HOLD_MILLIS);
                long used = cpu(first) + cpu(second) - before;
                double perWaiterPerSecond = used / 1e6 / (2 * threads) / (HOLD_MILLIS / 1000.0);
                System.out.printf("SemaphoreWaitingTest: %d acquirers blocked in two JVMs over %d ms: %.1f ms of CPU"
                        + " (%.3f ms per acquirer per second)%n", 2 * threads, HOLD_MILLIS, used / 1e6,
                        perWaiterPerSecond);

                pool.release(3);
                assertThat(first.expect("ACQUIRED", TIMEOUT)).isEqualTo("ACQUIRED " + threads);
                assertThat(second.expect("ACQUIRED", TIMEOUT)).isEqualTo("ACQUIRED " + threads);
                assertThat(perWaiterPerSecond).as("CPU ms per acquirer per second of %d acquirers blocked in two JVMs",
                        2 * threads).isLessThan(CPU_MILLIS_PER_WAITER_PER_SECOND);
            }
            assertThat(pool.availablePermits()).isEqualTo(3);
        }
    }

    private static JvmProcess start(RegionOptions options, int threads) {
        JvmProcess process = JvmProcess.start(List.of(), StateWorker.class, options.directory().toString(),
                options.name(), "wait-permits", String.valueOf(threads));
        process.expect("READY", TIMEOUT);
        return process;
    }

    private static long cpu(JvmProcess process) {
        return ThreadStats.cpuNanos(process.javaPid(), ThreadStats::waitingOrWorkingForWaiters);
    }
}

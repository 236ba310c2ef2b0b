package io.hostsync.autoconfigure.shedlock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedMap;
import io.hostsync.state.SharedState;
import io.hostsync.testing.JvmProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three Spring applications in three JVMs with the same {@code @Scheduled @SchedulerLock} job
 * ({@link ScheduledJobApplication}) over the auto-configured {@link HostsyncLockProvider}: each
 * tick runs in one JVM only (no two runs start within the job's lockAtLeastFor), and when the JVM
 * running the job is killed with SIGKILL, the job runs in another one at the next tick, not after
 * its ten minutes of {@code lockAtMostFor}.
 */
class ScheduledJobAcrossJvmsTests {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path directory;

    private final String region = "scheduled-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void theJobRunsInOneJvmPerTickAndMovesAtOnceWhenItsRunnerIsKilled() throws Exception {
        List<JvmProcess> applications = new ArrayList<>();
        try (SharedRegion region = SharedRegion
                .open(RegionOptions.builder(this.region).directory(this.directory).build())) {
            for (int i = 0; i < 3; i++) {
                applications.add(JvmProcess.start(List.of(), ScheduledJobApplication.class, this.directory.toString(),
                        this.region));
            }
            applications.forEach((application) -> application.expect("READY", TIMEOUT));
            SharedState state = region.state();
            SharedMap<String, String> runs = ScheduledJobApplication.runs(state);

            await("four ticks ran", () -> runs.size() >= 4);
            assertOneRunPerTick(runs, state);

            state.counter("block-next").set(1);
            await("a run blocks", () -> state.counter("blocked").get() != 0);
            long blockedPid = state.counter("blocked").get();
            Map<String, String> whileBlocked = Map.copyOf(runs);
            Thread.sleep(TimeUnit.SECONDS.toMillis(6)); // three ticks
            assertThat(Map.copyOf(runs)).as("no tick runs while the job is held by a live, blocked run")
                    .isEqualTo(whileBlocked);

            JvmProcess runner = applications.stream()
                    .filter((application) -> application.javaPid() == blockedPid)
                    .findFirst()
                    .orElseThrow();
            runner.kill();
            await("a tick runs in another JVM after the runner was killed (lockAtMostFor is 10 minutes)",
                    () -> !Map.copyOf(runs).keySet().equals(whileBlocked.keySet()));
            Set<String> newRunners = new HashSet<>();
            runs.forEach((start, pid) -> {
                if (!whileBlocked.containsKey(start)) {
                    newRunners.add(pid);
                }
            });
            assertThat(newRunners).doesNotContain(Long.toString(blockedPid)).isNotEmpty();
            assertOneRunPerTick(runs, state);
        } finally {
            applications.forEach(JvmProcess::close);
        }
    }

    /**
     * Every JVM fires the job on every even second; ShedLock's promise is that no run starts
     * within lockAtLeastFor (1.5 s) of the previous run's lock. Two JVMs running one tick would
     * start milliseconds apart, however late a JVM's scheduler fires; a gap of one second leaves
     * half a second between taking the lock and starting the run.
     */
    private static void assertOneRunPerTick(SharedMap<String, String> runs, SharedState state) {
        assertThat(state.counter("duplicates").get()).as("runs that started in the same millisecond").isZero();
        List<Long> starts = runs.keySet().stream().map(Long::parseLong).sorted().toList();
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).as("milliseconds between runs %s and %s (all runs: %s)",
                    i - 1, i, runs).isGreaterThanOrEqualTo(1000);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what).isNegative();
            Thread.sleep(50);
        }
    }
}

package io.hostsync.autoconfigure.shedlock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.hostsync.EntryMismatchException;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link HostsyncLockProvider} between real processes: other JVMs ({@link ShedLockProbe}) take,
 * release and race for job locks on the region this test opens, and one is killed with SIGKILL
 * holding a lock.
 */
class HostsyncLockProviderAcrossProcessesTests {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** Far longer than any test runs: a lock that comes free did not expire. */
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path directory;

    private final String name = "shedlock-" + UUID.randomUUID().toString().substring(0, 8);

    private SharedRegion region;

    private HostsyncLockProvider provider;

    @BeforeEach
    void openRegion() {
        this.region = SharedRegion.open(RegionOptions.builder(this.name).directory(this.directory).build());
        this.provider = new HostsyncLockProvider(this.region);
    }

    @AfterEach
    void closeRegion() {
        this.region.close();
    }

    @Test
    void aJobHeldByAnotherProcessIsSkippedHereUntilThatProcessUnlocksIt() {
        try (JvmProcess other = probe()) {
            other.send("lock report " + HOUR.toMillis() + " 0");
            other.expect("LOCKED report", TIMEOUT);
            assertThat(this.provider.lock(config("report"))).isEmpty();
            assertThat(this.provider.holder("report")).get()
                    .satisfies((holder) -> assertThat(holder.self()).isFalse());
            other.send("unlock report");
            other.expect("UNLOCKED report", TIMEOUT);
            this.provider.lock(config("report")).orElseThrow().unlock();
        }
    }

    @Test
    void aJobHeldHereIsSkippedByAnotherProcess() {
        try (JvmProcess other = probe()) {
            SimpleLock lock = this.provider.lock(config("report")).orElseThrow();
            other.send("lock report " + HOUR.toMillis() + " 0");
            other.expect("SKIPPED report", TIMEOUT);
            lock.unlock();
            other.send("lock report " + HOUR.toMillis() + " 0");
            other.expect("LOCKED report", TIMEOUT);
        }
    }

    @Test
    void aHolderKilledWithSigkillFreesTheJobAtOnceNotAfterLockAtMostFor() {
        try (JvmProcess other = probe()) {
            other.send("lock report " + HOUR.toMillis() + " " + HOUR.toMillis());
            other.expect("LOCKED report", TIMEOUT);
            assertThat(this.provider.lock(config("report"))).as("held by a live process").isEmpty();
            other.kill();
            SimpleLock lock = this.provider.lock(config("report")).orElseThrow(
                    () -> new AssertionError(
                            "the job of a killed holder is still locked: its lockAtMostFor is an hour"));
            assertThat(this.provider.recoveries()).isEqualTo(1);
            assertThat(this.provider.holder("report")).get().satisfies((holder) -> assertThat(holder.self()).isTrue());
            lock.unlock();
        }
    }

    @Test
    void aHolderThatUnlockedBeforeBeingKilledStillKeepsTheJobForItsLockAtLeastFor() {
        try (JvmProcess other = probe()) {
            other.send("lock report " + HOUR.toMillis() + " " + HOUR.toMillis());
            other.expect("LOCKED report", TIMEOUT);
            other.send("unlock report");
            other.expect("UNLOCKED report", TIMEOUT);
            other.kill();
            assertThat(this.provider.lock(config("report"))).as("the job ran; lockAtLeastFor is an hour").isEmpty();
        }
    }

    @Test
    void processesAndThreadsRacingForAJobNeverRunItTogether() throws Exception {
        int runs = 100;
        List<JvmProcess> others = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                others.add(probe());
            }
            others.forEach((other) -> other.send("race race " + runs));
            long overlapsHere = CompletableFuture
                    .supplyAsync(() -> ShedLockProbe.race(this.region, this.provider, "race", runs))
                    .join();
            long overlaps = overlapsHere;
            for (JvmProcess other : others) {
                overlaps += Long.parseLong(Lines.fields(other.expect("RACED", TIMEOUT)).get("overlaps"));
            }
            assertThat(overlaps).as("runs that found another run inside").isZero();
            assertThat(this.region.state().counter("total").get()).as("no run lost its increment")
                    .isEqualTo(4L * runs);
        } finally {
            others.forEach(JvmProcess::close);
        }
    }

    @Test
    void aRecordWrittenByAnotherProgramIsRefusedNamingTheJobAndTheFix() {
        try (JvmProcess other = probe()) {
            other.send("foreign written-by-others report not-a-lock-record");
            other.expect("WROTE", TIMEOUT);
            HostsyncLockProvider provider = new HostsyncLockProvider(this.region, "written-by-others",
                    HostsyncLockProvider.DEFAULT_MAX_JOBS);
            assertThatThrownBy(() -> provider.lock(config("report"))).isInstanceOf(EntryMismatchException.class)
                    .hasMessageContaining("ShedLock job 'report'")
                    .hasMessageContaining("17 bytes where a record has 44")
                    .hasMessageContaining("hostsync.shedlock.map");
        }
    }

    private JvmProcess probe() {
        JvmProcess probe = JvmProcess.start(List.of(), ShedLockProbe.class, this.directory.toString(), this.name);
        probe.expect("READY", TIMEOUT);
        return probe;
    }

    private static LockConfiguration config(String name) {
        return new LockConfiguration(ClockProvider.now(), name, HOUR, Duration.ZERO);
    }
}

package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import io.hostsync.testing.Root;
import io.hostsync.testing.TestRegions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGKILL at random moments — holding the write lock, holding the read lock, waiting, half-way
 * through acquiring or releasing — of JVMs in this PID namespace and in their own: the survivors
 * always continue, the record the lock protects stays consistent, and "possibly torn" is
 * reported exactly when a writer died holding the lock.
 */
abstract class KillContract {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** @return the backend under test: one that claims crash safety */
    abstract Backend backend();

    /** @return kills of readers, and then of writers */
    abstract int killsPerPhase();

    private static final long SEED = Long.getLong("hostsync.kill.seed", System.nanoTime());

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    private final Random random = new Random(SEED);
    private long slowestRecoveryNanos;

    @Test
    void readersKilledAtRandomMomentsNeverBlockTheSurvivorsNorMarkTheLockTorn() throws Exception {
        Root.require();
        RegionOptions options = regions.options("kill-readers").backend(backend()).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            List<JvmProcess> survivors = startSurvivors(options);
            try {
                for (int kill = 0; kill < killsPerPhase(); kill++) {
                    boolean torn = killOne(region, options, "reads", kill);
                    assertThat(torn).as("kill %d (seed %d): only a reader died, nothing may be marked torn", kill, SEED)
                            .isFalse();
                }
            } finally {
                List<Map<String, String>> done = stopSurvivors(survivors);
                assertThat(done).allSatisfy(fields -> assertThat(fields.get("torn")).isEqualTo("0"));
            }
            LockStatistics host = region.lock().hostStatistics();
            assertThat(host.possiblyTorn()).isFalse();
            assertThat(host.readHolds()).as("what the dead held was reclaimed").isZero();
        }
        report("readers");
    }

    @Test
    void writersKilledAtRandomMomentsNeverBlockTheSurvivorsAndTornIsReportedWheneverOneDiedWriting()
            throws Exception {
        Root.require();
        RegionOptions options = regions.options("kill-writers").backend(backend()).build();
        long tornReports = 0;
        try (SharedRegion region = SharedRegion.open(options)) {
            List<JvmProcess> survivors = startSurvivors(options);
            try {
                for (int kill = 0; kill < killsPerPhase(); kill++) {
                    if (killOne(region, options, "writes", kill)) {
                        tornReports++;
                    }
                }
            } finally {
                for (Map<String, String> fields : stopSurvivors(survivors)) {
                    tornReports += Long.parseLong(fields.get("torn"));
                }
            }
            assertThat(tornReports).as("writers spend most of their time writing: some died writing (seed %d)", SEED)
                    .isPositive();
            assertThat(region.lock().hostStatistics().recoveries()).isPositive();
            assertThat(LockWorker.consistent(region)).isTrue();
        }
        report("writers");
    }

    @Test
    void aTryLockWithoutTimeoutTakesOverTheLockOfAWriterKilledWhileWriting() throws Exception {
        RegionOptions options = regions.options("try-after-kill").backend(backend()).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock();
            killWhileHolding(region, options, "hold-write");
            assertThat(eventually(() -> lock.writeLock().tryLock()))
                    .as("repeated tryLock() (no timeout, as a skip-if-busy job does) takes over the dead writer's lock")
                    .isTrue();
            try {
                assertThat(lock.isPossiblyTorn()).as("it died in the middle of writing").isTrue();
                LockWorker.repair(region);
                lock.markConsistent();
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    @Test
    void aReadTryLockWithoutTimeoutGetsInAfterTheWriterHoldingTheLockIsKilled() throws Exception {
        RegionOptions options = regions.options("try-read-after-kill").backend(backend()).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock();
            killWhileHolding(region, options, "hold-write");
            assertThat(eventually(() -> lock.readLock().tryLock())).as("repeated readLock().tryLock() gets in")
                    .isTrue();
            try {
                assertThat(lock.isPossiblyTorn()).isTrue();
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    @Test
    void aWriterKilledWhileWritingShowsAsPossiblyTornInTheStatisticsBeforeAnyoneAsksForTheLock() throws Exception {
        RegionOptions options = regions.options("torn-in-statistics").backend(backend()).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock();
            killWhileHolding(region, options, "hold-write");
            assertThat(eventually(() -> lock.hostStatistics().possiblyTorn()))
                    .as("the endpoint, health and metrics read these statistics: they show the torn mark at once")
                    .isTrue();
            assertThat(lock.holders()).as("the dead writer is not listed as holding the lock").isEmpty();
            lock.writeLock().lock();
            try {
                assertThat(lock.isPossiblyTorn()).isTrue();
                LockWorker.repair(region);
                lock.markConsistent();
            } finally {
                lock.writeLock().unlock();
            }
            assertThat(lock.hostStatistics().possiblyTorn()).isFalse();
        }
    }

    /** Starts one process that holds the lock for seconds at a time, waits until it does, and kills it. */
    private static void killWhileHolding(SharedRegion region, RegionOptions options, String mode) throws Exception {
        String[] args = { options.directory().toString(), options.name(), "0", mode, "1", "0", "500000",
                options.backend().configName() };
        try (JvmProcess holder = JvmProcess.start(List.of(), LockWorker.class, args)) {
            holder.expect("READY", TIMEOUT);
            holder.send("go");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (region.lock().hostStatistics().writerSlot() < 0 || !LockWorker.dirty(region)) {
                assertThat(System.nanoTime()).as("the holder started writing").isLessThan(deadline);
                Thread.sleep(1);
            }
            holder.kill();
        }
    }

    /** Calls {@code attempt} every 10 ms for up to 10 s; whether it succeeded. */
    private static boolean eventually(java.util.function.BooleanSupplier attempt) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (attempt.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /**
     * Starts a victim, kills it at a random moment, checks that the survivors go on, and takes
     * the write lock to see what the death left. Returns whether the lock was possibly torn.
     */
    private boolean killOne(SharedRegion region, RegionOptions options, String mode, int kill) throws Exception {
        boolean namespaced = kill % 2 == 1;
        String[] args = { options.directory().toString(), options.name(), "2", mode, "2", "0",
                mode.equals("writes") ? "2000" : "500", backend().configName() };
        try (JvmProcess victim = namespaced ? JvmProcess.startInPidNamespace(LockWorker.class, args)
                : JvmProcess.start(List.of(), LockWorker.class, args)) {
            victim.expect("READY", TIMEOUT);
            victim.send("go");
            Thread.sleep(5 + random.nextInt(150));
            victim.kill();
        }
        awaitProgress(region, kill);

        RWLock lock = region.lock();
        long start = System.nanoTime();
        assertThat(lock.writeLock().tryLock(30, TimeUnit.SECONDS)).as("kill %d: the lock is free again", kill).isTrue();
        slowestRecoveryNanos = Math.max(slowestRecoveryNanos, System.nanoTime() - start);
        try {
            boolean torn = lock.isPossiblyTorn();
            if (LockWorker.dirty(region)) {
                assertThat(torn).as("kill %d (seed %d): a writer died mid-write and the lock must say so", kill, SEED)
                        .isTrue();
            }
            if (torn) {
                LockWorker.repair(region);
                lock.markConsistent();
            }
            return torn;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static List<JvmProcess> startSurvivors(RegionOptions options) {
        String backend = options.backend().configName();
        String[] plain = { options.directory().toString(), options.name(), "0", "mixed", "2", "0", "50", backend };
        String[] namespaced = { options.directory().toString(), options.name(), "1", "mixed", "2", "0", "50", backend };
        List<JvmProcess> survivors = new ArrayList<>();
        survivors.add(JvmProcess.start(List.of(), LockWorker.class, plain));
        survivors.add(JvmProcess.startInPidNamespace(LockWorker.class, namespaced));
        for (JvmProcess survivor : survivors) {
            survivor.expect("READY", TIMEOUT);
            survivor.send("go");
        }
        return survivors;
    }

    private static List<Map<String, String>> stopSurvivors(List<JvmProcess> survivors) {
        List<Map<String, String>> done = new ArrayList<>();
        for (JvmProcess survivor : survivors) {
            survivor.send("stop");
        }
        for (JvmProcess survivor : survivors) {
            Map<String, String> fields = Lines.fields(survivor.expect("DONE", TIMEOUT));
            assertThat(fields.get("violations")).as("survivor %s", fields).isEqualTo("0");
            done.add(fields);
            survivor.close();
        }
        return done;
    }

    /** Both survivors complete operations after the kill: nobody is stuck behind the dead. */
    private static void awaitProgress(SharedRegion region, int kill) throws InterruptedException {
        long first = LockWorker.progress(region, 0);
        long second = LockWorker.progress(region, 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (LockWorker.progress(region, 0) <= first || LockWorker.progress(region, 1) <= second) {
            assertThat(System.nanoTime()).as("kill %d (seed %d): survivors made progress within 30 s", kill, SEED)
                    .isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    private void report(String phase) {
        System.out.printf("KillTest %s: seed %d, slowest write acquisition after a kill %.1f ms%n", phase, SEED,
                slowestRecoveryNanos / 1e6);
    }
}

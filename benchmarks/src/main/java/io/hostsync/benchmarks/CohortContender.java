package io.hostsync.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.Lock;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.cohort.CohortLock;
import io.hostsync.autoconfigure.cohort.CohortLocks;
import io.hostsync.autoconfigure.cohort.CohortSettings;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One process contending for the lock of {@link CohortLockBenchmark}: a cohort lock over an
 * engine (its host is a region directory), or the engine's plain Spring Integration registry
 * ({@code RedisLockRegistry}, {@code JdbcLockRegistry}) where every acquisition goes to the engine.
 * Used by the benchmark itself (host A's first process) and by its partner processes
 * ({@link #main}), which start when their standard input says {@code go}, loop until it closes
 * and then print
 * {@code STATS host acquisitions remote p50 p99 max histogram} (wait times in microseconds, the
 * histogram {@link WaitHistogram#encode() encoded}).
 */
final class CohortContender implements AutoCloseable {

    /** The system property with the cohort lock's local handoff bound (16 unless set). */
    static final String LOCAL_HANDOFFS = "hostsync.bench.localHandoffs";

    static final int CRITICAL_SECTION_TOKENS = 200;

    private final CohortEngine.Client client;

    private final SharedRegion region;

    private final CohortLocks cohorts;

    private final Lock lock;

    private final CohortLock cohortLock;

    private long[] waits = new long[1 << 16];

    private int count;

    private WaitHistogram histogram = new WaitHistogram();

    private long remoteAtReset;

    CohortContender(String engine, String kind, String endpoint, Path hostDirectory, String regionName) {
        this.client = CohortEngine.connect(engine, endpoint);
        if (kind.equals("cohort")) {
            this.region = SharedRegion.open(RegionOptions.builder(regionName).directory(hostDirectory).build());
            this.cohorts = new CohortLocks(this.region, this.client.leases(), new CohortSettings(Duration.ofSeconds(30),
                    Integer.getInteger(LOCAL_HANDOFFS, 16), Duration.ofSeconds(60), CohortEngine.RETRY_INTERVAL));
            this.cohortLock = this.cohorts.lock(CohortEngine.LOCK);
            this.lock = this.cohortLock.writeLock();
        } else {
            this.region = null;
            this.cohorts = null;
            this.cohortLock = null;
            this.lock = this.client.registryLock();
        }
    }

    /** One acquisition, a short critical section, one release; records the wait. */
    void acquireAndRelease() {
        long start = System.nanoTime();
        this.lock.lock();
        long waited = System.nanoTime() - start;
        try {
            Blackhole.consumeCPU(CRITICAL_SECTION_TOKENS);
        } finally {
            this.lock.unlock();
        }
        if (this.count == this.waits.length) {
            this.waits = Arrays.copyOf(this.waits, this.waits.length * 2);
        }
        this.waits[this.count++] = waited;
        this.histogram.record(waited / 1000);
    }

    /** @return {@code acquisitions remote p50 p99 max histogram}, waits in microseconds */
    String stats() {
        long[] sorted = Arrays.copyOf(this.waits, this.count);
        Arrays.sort(sorted);
        long remote = (this.cohortLock != null) ? remoteSinceOpened() - this.remoteAtReset : this.count;
        return this.count + " " + remote + " " + percentile(sorted, 0.50) + " " + percentile(sorted, 0.99) + " "
                + ((sorted.length > 0) ? sorted[sorted.length - 1] / 1000 : 0) + " " + this.histogram.encode();
    }

    /** Starts counting afresh: acquisitions, waits and remote acquisitions. */
    void reset() {
        this.count = 0;
        this.histogram = new WaitHistogram();
        this.remoteAtReset = remoteSinceOpened();
    }

    private long remoteSinceOpened() {
        return (this.cohortLock != null) ? this.cohortLock.statistics().remoteAcquisitions() : 0;
    }

    private static long percentile(long[] sorted, double fraction) {
        return (sorted.length == 0) ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * fraction)] / 1000;
    }

    @Override
    public void close() {
        if (this.cohorts != null) {
            this.cohorts.close();
        }
        if (this.region != null) {
            this.region.close();
        }
        this.client.close();
    }

    /**
     * A partner process: arguments engine, kind, endpoint (see {@link CohortEngine#endpoint()}),
     * host directory, region name, host label.
     *
     * @param args see above
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (CohortContender contender = new CohortContender(args[0], args[1], args[2], Path.of(args[3]), args[4])) {
            contender.acquireAndRelease();
            System.out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            // Every process counts over the same span: from the benchmark's go, once all have started, to its end.
            if (!"go".equals(in.readLine())) {
                System.exit(1);
            }
            contender.reset();
            Thread stdin = new Thread(() -> {
                try (in) {
                    while (in.readLine() != null) {
                        // until closed
                    }
                } catch (java.io.IOException ex) {
                    // closed
                }
            });
            stdin.setDaemon(true);
            stdin.start();
            while (stdin.isAlive()) {
                contender.acquireAndRelease();
            }
            System.out.println("STATS " + args[5] + " " + contender.stats());
        }
        System.exit(0);
    }
}

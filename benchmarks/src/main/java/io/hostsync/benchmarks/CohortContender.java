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
import io.hostsync.autoconfigure.cohort.RedisRemoteLease;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * One process contending for the lock of {@link CohortLockBenchmark}: a cohort lock over Redis
 * (its host is a region directory), or a plain {@link RedisLockRegistry} lock where every
 * acquisition goes to Redis. Used by the benchmark itself (host A's first process) and by its
 * partner processes ({@link #main}), which loop until their standard input closes and then print
 * {@code STATS host acquisitions remote p50 p99 max} (wait times in microseconds).
 */
final class CohortContender implements AutoCloseable {

    static final int CRITICAL_SECTION_TOKENS = 200;

    private final LettuceConnectionFactory connections;

    private final SharedRegion region;

    private final CohortLocks cohorts;

    private final Lock lock;

    private final CohortLock cohortLock;

    private long[] waits = new long[1 << 16];

    private int count;

    CohortContender(String kind, int redisPort, Path hostDirectory, String regionName) {
        this.connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redisPort));
        this.connections.afterPropertiesSet();
        this.connections.start();
        if (kind.equals("cohort")) {
            this.region = SharedRegion.open(RegionOptions.builder(regionName).directory(hostDirectory).build());
            this.cohorts = new CohortLocks(this.region, RedisRemoteLease.factory(this.connections, "bench"),
                    new CohortSettings(Duration.ofSeconds(30), 16, Duration.ofSeconds(60), Duration.ofMillis(5)));
            this.cohortLock = this.cohorts.lock("bench");
            this.lock = this.cohortLock.writeLock();
        } else {
            this.region = null;
            this.cohorts = null;
            this.cohortLock = null;
            RedisLockRegistry registry = new RedisLockRegistry(this.connections, "bench", Duration.ofSeconds(30));
            registry.setRedisLockType(RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
            this.lock = registry.obtain("bench:bench");
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
    }

    /** @return {@code acquisitions remote p50 p99 max}, waits in microseconds */
    String stats() {
        long[] sorted = Arrays.copyOf(this.waits, this.count);
        Arrays.sort(sorted);
        long remote = (this.cohortLock != null) ? this.cohortLock.statistics().remoteAcquisitions() : this.count;
        return this.count + " " + remote + " " + percentile(sorted, 0.50) + " " + percentile(sorted, 0.99) + " "
                + ((sorted.length > 0) ? sorted[sorted.length - 1] / 1000 : 0);
    }

    void reset() {
        this.count = 0;
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
        this.connections.destroy();
    }

    /**
     * A partner process: arguments kind, Redis port, host directory, region name, host label.
     *
     * @param args see above
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (CohortContender contender = new CohortContender(args[0], Integer.parseInt(args[1]), Path.of(args[2]),
                args[3])) {
            contender.acquireAndRelease();
            contender.reset();
            System.out.println("ready");
            Thread stdin = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
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
            System.out.println("STATS " + args[4] + " " + contender.stats());
        }
        System.exit(0);
    }
}

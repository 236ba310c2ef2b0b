package io.hostsync.autoconfigure.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * Release notifications and the yield in Redis, against a real redis-server: a waiter is woken by a
 * release (a cohort host's or a {@link RedisLockRegistry}'s in {@code PUB_SUB_LOCK} mode) long
 * before its retry interval or timeout, and a host that released for fairness is refused the key
 * until another host took it, not for a fixed time. The waits given are long (tens of seconds) and
 * the bounds asserted wide (5 s): polling or a clock-based yield would exceed them.
 */
class RedisCohortWakeupTest {

    private static final long LONG_MILLIS = 30_000;

    private static final long WOKEN_WITHIN_MILLIS = 5_000;

    private static EngineServers.Redis server;

    private static TestEngine.RedisEngine engine;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final String key = "wakeup-" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void startRedis() throws Exception {
        server = new EngineServers.Redis();
        engine = (TestEngine.RedisEngine) TestEngine.open("redis", server.endpoint());
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void stopThreads() {
        this.threads.shutdownNow();
    }

    /** Starts the factory's subscription and waits until it runs. */
    private static RemoteLease.Factory listening(RemoteLease.Factory factory) throws InterruptedException {
        factory.forHost("warm-up").awaitRelease("warm-up", 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!((RedisRemoteLease.Leases) factory).listening() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(((RedisRemoteLease.Leases) factory).listening()).as("the subscription").isTrue();
        Thread.sleep(200); // the container reports running once it asked for the subscription
        return factory;
    }

    /** Waits until a thread runs the given method (such as {@code Wakeups.await}): it has reached its wait. */
    private static void awaitFrame(AtomicReference<Thread> thread, String classSuffix, String method)
            throws InterruptedException {
        awaitStack(thread, classSuffix + "." + method, (stack) -> runs(stack, classSuffix, method));
    }

    private static boolean runs(StackTraceElement[] stack, String classSuffix, String method) {
        return Arrays.stream(stack)
                .anyMatch(
                        (frame) -> frame.getClassName().endsWith(classSuffix) && frame.getMethodName().equals(method));
    }

    private static void awaitStack(AtomicReference<Thread> thread, String what,
            java.util.function.Predicate<StackTraceElement[]> reached) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Thread running = thread.get();
            if (running != null && reached.test(running.getStackTrace())) {
                return;
            }
            Thread.sleep(10);
        }
        Thread running = thread.get();
        throw new AssertionError("The thread " + running + " did not reach " + what + " within 20 s: "
                + Arrays.toString((running != null) ? running.getStackTrace() : null));
    }

    /** Waits until a hostsync lock has a waiting writer. */
    private static void awaitWaitingWriter(CohortLock lock) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (lock.hostLock().hostStatistics().waitingWriters() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(lock.hostLock().hostStatistics().waitingWriters()).as("writers waiting for " + lock).isPositive();
    }

    @Test
    @Timeout(60)
    void awaitReleaseReturnsWhenAnotherHostReleases() throws Exception {
        RemoteLease.Factory factory = listening(engine.leases());
        RemoteLease a = factory.forHost("host-a");
        RemoteLease b = factory.forHost("host-b");
        assertThat(a.acquire(this.key, Duration.ofSeconds(60))).isTrue();
        assertThat(b.acquire(this.key, Duration.ofSeconds(60))).isFalse();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<Long> waited = this.threads.submit(() -> {
            waiter.set(Thread.currentThread());
            b.awaitRelease(this.key, TimeUnit.MILLISECONDS.toNanos(LONG_MILLIS));
            return System.nanoTime();
        });
        awaitFrame(waiter, "Wakeups", "await");
        assertThat(waited).as("host B's wait while A holds the key").isNotDone();
        long released = System.nanoTime();
        assertThat(a.release(this.key)).isTrue();
        long woken = waited.get(LONG_MILLIS * 2, TimeUnit.MILLISECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(woken - released)).as("ms from A's release to B's wake-up")
                .isLessThan(WOKEN_WITHIN_MILLIS);
        assertThat(b.acquire(this.key, Duration.ofSeconds(60))).isTrue();
        assertThat(b.release(this.key)).isTrue();
    }

    @Test
    @Timeout(60)
    void aReleaseBetweenTheFailedAcquisitionAndTheWaitIsNotMissed() throws Exception {
        RemoteLease.Factory factory = listening(engine.leases());
        RemoteLease a = factory.forHost("host-a");
        RemoteLease b = factory.forHost("host-b");
        assertThat(a.acquire(this.key, Duration.ofSeconds(60))).isTrue();
        assertThat(b.acquire(this.key, Duration.ofSeconds(60))).isFalse();
        RedisRemoteLease.Leases leases = (RedisRemoteLease.Leases) factory;
        long before = leases.wakeups.generation(leases.lockKey(this.key));
        assertThat(a.release(this.key)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (leases.wakeups.generation(leases.lockKey(this.key)) == before && System.nanoTime() < deadline) {
            Thread.sleep(10); // until the notification has arrived, before B waits
        }
        assertThat(leases.wakeups.generation(leases.lockKey(this.key))).as("the release's notification")
                .isNotEqualTo(before);
        long start = System.nanoTime();
        b.awaitRelease(this.key, TimeUnit.MILLISECONDS.toNanos(LONG_MILLIS));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("ms B waited for a release that happened after its failed acquisition")
                .isLessThan(WOKEN_WITHIN_MILLIS);
    }

    @Test
    void theYieldMarkerFallsInTheLockKeysHashSlotSoTheScriptsRunOnARedisCluster() {
        for (String lockKey : java.util.List.of("hostsync-cohort:orders:rebuild",
                "hostsync-cohort:orders:items['{42}']",
                "{tenant-7}:orders:rebuild", "hostsync-cohort:orders:items['{']")) {
            String marker = RedisRemoteLease.yieldKey(lockKey);
            assertThat(marker).as("the marker of " + lockKey).isNotNull();
            assertThat(io.lettuce.core.cluster.SlotHash.getSlot(marker)).as("the slot of the marker of " + lockKey)
                    .isEqualTo(io.lettuce.core.cluster.SlotHash.getSlot(lockKey));
        }
        // two lock keys of one hash tag (a registry key such as {locks}) have a marker each
        assertThat(RedisRemoteLease.yieldKey("{locks}:orders:a"))
                .isNotEqualTo(RedisRemoteLease.yieldKey("{locks}:orders:b"));
        // a '}' with no hash tag before it cannot be enclosed in one: such a key yields by the clock
        assertThat(RedisRemoteLease.yieldKey("hostsync-cohort:orders:items['a}b']")).isNull();
        assertThat(RedisRemoteLease.yieldKey("x:{}:y{z}")).as("an empty hash tag: the whole key is hashed").isNull();
    }

    @Test
    @Timeout(60)
    void aKeyWithNoMarkerSlotYieldsByTheClockAndItsReleaseStillWakesAWaiter() throws Exception {
        RemoteLease.Factory factory = listening(engine.leases());
        RemoteLease a = factory.forHost("host-a");
        RemoteLease b = factory.forHost("host-b");
        String key = this.key + "['a}b']";
        assertThat(a.yieldsInEngine(key)).isFalse();
        assertThat(a.acquire(key, Duration.ofSeconds(60))).isTrue();
        assertThat(a.releaseYielding(key, Duration.ofMillis(LONG_MILLIS))).as("a plain release").isTrue();
        assertThat(b.acquire(key, Duration.ofSeconds(60))).isTrue();
        assertThat(b.release(key)).isTrue();
        assertThat(a.acquire(key, Duration.ofSeconds(60))).as("no marker keeps host A away").isTrue();
        assertThat(a.release(key)).isTrue();
    }

    @Test
    @Timeout(60)
    void aHostThatYieldedIsRefusedUntilAnotherHostTookTheKeyThenGetsItAtOnce() throws Exception {
        RemoteLease.Factory factory = listening(engine.leases());
        RemoteLease a = factory.forHost("host-a");
        RemoteLease b = factory.forHost("host-b");
        assertThat(a.yieldsInEngine(this.key)).isTrue();
        assertThat(a.acquire(this.key, Duration.ofSeconds(60))).isTrue();
        assertThat(b.acquire(this.key, Duration.ofSeconds(60))).isFalse();
        assertThat(a.releaseYielding(this.key, Duration.ofMillis(LONG_MILLIS))).isTrue();
        assertThat(a.acquire(this.key, Duration.ofSeconds(60))).as("host A right after it yielded").isFalse();
        assertThat(b.acquire(this.key, Duration.ofSeconds(60))).as("host B after A yielded").isTrue();
        assertThat(a.acquire(this.key, Duration.ofSeconds(60))).as("host A while B holds the key").isFalse();
        assertThat(b.release(this.key)).isTrue();
        assertThat(a.acquire(this.key, Duration.ofSeconds(60)))
                .as("host A once B took and released the key, long before A's yield time has passed")
                .isTrue();
        assertThat(a.release(this.key)).isTrue();
    }

    @Test
    @Timeout(60)
    void withNoOtherHostAHostThatYieldedGetsTheKeyBackAfterTheYieldTime() throws Exception {
        RemoteLease a = listening(engine.leases()).forHost("host-a");
        assertThat(a.acquire(this.key, Duration.ofSeconds(60))).isTrue();
        long released = System.nanoTime();
        assertThat(a.releaseYielding(this.key, Duration.ofMillis(300))).isTrue();
        assertThat(a.acquire(this.key, Duration.ofSeconds(60))).as("host A right after it yielded").isFalse();
        // the wait ends with the yield, not with the (long) timeout
        a.awaitRelease(this.key, TimeUnit.MILLISECONDS.toNanos(LONG_MILLIS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!a.acquire(this.key, Duration.ofSeconds(60))) {
            assertThat(System.nanoTime()).as("host A after its yield time").isLessThan(deadline);
            Thread.sleep(10);
        }
        long back = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released);
        assertThat(back).as("ms until host A had the key back").isGreaterThanOrEqualTo(250)
                .isLessThan(WOKEN_WITHIN_MILLIS);
        assertThat(a.release(this.key)).isTrue();
    }

    @Test
    @Timeout(90)
    void aCohortReleaseWakesAWaitingRedisLockRegistryLockAndTheRegistrysReleaseWakesACohortHost() throws Exception {
        RedisLockRegistry registry = new RedisLockRegistry(engine.connections(), TestEngine.REGISTRY_KEY,
                Duration.ofSeconds(60));
        registry.setRedisLockType(RedisLockRegistry.RedisLockType.PUB_SUB_LOCK);
        try (InJvmHost host = new InJvmHost("a", Duration.ofSeconds(20))) {
            CohortLock cohort = host.locks.lock("data");
            Lock registryLock = registry.obtain(cohort.remoteKey());
            // the cohort host holds the key; the registry lock waits (30 s timeout, no polling in PUB_SUB mode)
            assertThat(cohort.writeLock().tryLock(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Long> registryGotIt = new CompletableFuture<>();
            CountDownLatch releaseRegistry = new CountDownLatch(1);
            AtomicReference<Thread> registryThread = new AtomicReference<>();
            this.threads.submit(() -> {
                registryThread.set(Thread.currentThread());
                try {
                    if (registryLock.tryLock(LONG_MILLIS, TimeUnit.MILLISECONDS)) {
                        registryGotIt.complete(System.nanoTime());
                        releaseRegistry.await();
                        registryLock.unlock();
                    } else {
                        registryGotIt.complete(-1L);
                    }
                } catch (Throwable ex) {
                    registryGotIt.completeExceptionally(ex);
                }
                return null;
            });
            // its wait for the unlock message (not a Redis call, which may wait on a future too)
            awaitStack(registryThread, "the wait of RedisLockRegistry's subscribeLock",
                    (stack) -> runs(stack, "CompletableFuture", "get")
                            && runs(stack, "RedisPubSubLock", "subscribeLock")
                            && !runs(stack, "RedisLock", "obtainLock"));
            assertThat(registryGotIt).as("the registry lock while the cohort host holds the key").isNotDone();
            long released = System.nanoTime();
            cohort.writeLock().unlock();
            long got = registryGotIt.get(LONG_MILLIS * 2, TimeUnit.MILLISECONDS);
            assertThat(got).as("the registry lock's tryLock").isPositive();
            assertThat(TimeUnit.NANOSECONDS.toMillis(got - released))
                    .as("ms from the cohort release to the registry lock").isLessThan(WOKEN_WITHIN_MILLIS);

            // now the registry holds the key; the cohort host waits, retrying only every 20 s
            AtomicReference<Thread> cohortThread = new AtomicReference<>();
            Future<Long> cohortGotIt = this.threads.submit(() -> {
                cohortThread.set(Thread.currentThread());
                if (!cohort.writeLock().tryLock(LONG_MILLIS, TimeUnit.MILLISECONDS)) {
                    return -1L;
                }
                long at = System.nanoTime();
                cohort.writeLock().unlock();
                return at;
            });
            awaitFrame(cohortThread, "Wakeups", "await");
            assertThat(cohortGotIt).as("the cohort host while the registry holds the key").isNotDone();
            long registryReleased = System.nanoTime();
            releaseRegistry.countDown();
            long cohortAt = cohortGotIt.get(LONG_MILLIS * 2, TimeUnit.MILLISECONDS);
            assertThat(cohortAt).as("the cohort lock's tryLock").isPositive();
            assertThat(TimeUnit.NANOSECONDS.toMillis(cohortAt - registryReleased))
                    .as("ms from the registry's release to the cohort host's lock").isLessThan(WOKEN_WITHIN_MILLIS);
        } finally {
            registry.destroy();
        }
    }

    @Test
    @Timeout(90)
    void aFairnessReleaseHandsTheKeyToTheWaitingHostAndTheYieldEndsWhenThatHostReleases() throws Exception {
        // retry interval 20 s: polling would take up to 20 s, a clock-based yield 40 s
        Duration retry = Duration.ofSeconds(20);
        try (InJvmHost a = new InJvmHost("a", retry, 0); InJvmHost b = new InJvmHost("b", retry, 0)) {
            CohortLock onA = a.locks.lock("data");
            CohortLock onB = b.locks.lock("data");
            assertThat(onA.writeLock().tryLock(5, TimeUnit.SECONDS)).isTrue();
            CountDownLatch releaseB = new CountDownLatch(1);
            CompletableFuture<Long> bGotIt = new CompletableFuture<>();
            AtomicReference<Thread> bThread = new AtomicReference<>();
            this.threads.submit(() -> {
                bThread.set(Thread.currentThread());
                try {
                    if (!onB.writeLock().tryLock(LONG_MILLIS, TimeUnit.MILLISECONDS)) {
                        bGotIt.complete(-1L);
                        return null;
                    }
                    bGotIt.complete(System.nanoTime());
                    releaseB.await();
                    onB.writeLock().unlock();
                } catch (Throwable ex) {
                    bGotIt.completeExceptionally(ex);
                }
                return null;
            });
            Future<Long> a2GotIt = this.threads.submit(() -> {
                if (!onA.writeLock().tryLock(LONG_MILLIS, TimeUnit.MILLISECONDS)) {
                    return -1L;
                }
                long at = System.nanoTime();
                onA.writeLock().unlock();
                return at;
            });
            awaitFrame(bThread, "Wakeups", "await"); // host B waits for the lease
            awaitWaitingWriter(onA); // A's second thread for A's host lock
            assertThat(bGotIt).isNotDone();
            long released = System.nanoTime();
            onA.writeLock().unlock(); // A's own thread waits, local-handoffs=0: a fairness release
            long bAt = bGotIt.get(LONG_MILLIS * 2, TimeUnit.MILLISECONDS);
            assertThat(bAt).as("host B's tryLock").isPositive();
            assertThat(TimeUnit.NANOSECONDS.toMillis(bAt - released))
                    .as("ms from A's fairness release to B's lock").isLessThan(WOKEN_WITHIN_MILLIS);
            assertThat(onA.statistics().fairnessReleases()).isEqualTo(1);
            Thread.sleep(500);
            assertThat(a2GotIt).as("A's second thread while B holds the lock").isNotDone();
            long bReleased = System.nanoTime();
            releaseB.countDown();
            long a2At = a2GotIt.get(LONG_MILLIS * 2, TimeUnit.MILLISECONDS);
            assertThat(a2At).as("A's second thread's tryLock").isPositive();
            assertThat(TimeUnit.NANOSECONDS.toMillis(a2At - bReleased))
                    .as("ms from B's release to A's second thread, A's yield time being 40 s")
                    .isLessThan(WOKEN_WITHIN_MILLIS);
        }
    }

    @Test
    void theSubscriptionStopsWithTheApplicationContext(@TempDir Path directory) {
        String region = "cohort-close-" + Long.toHexString(System.nanoTime());
        String[] prefix = { "unset" };
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncCohortAutoConfiguration.class))
                .withBean(RedisConnectionFactory.class, () -> {
                    LettuceConnectionFactory factory = new LettuceConnectionFactory(
                            new RedisStandaloneConfiguration("127.0.0.1", server.port));
                    factory.afterPropertiesSet();
                    factory.start();
                    return factory;
                })
                .withPropertyValues("hostsync.directory=" + directory, "hostsync.regions." + region + ".size=1MB",
                        "hostsync.cohort.engine=redis", "hostsync.cohort.redis-registry-key=" + TestEngine.REGISTRY_KEY)
                .run((context) -> {
                    RemoteLease.Factory factory = listening(context.getBean(RemoteLease.Factory.class));
                    prefix[0] = ((RedisRemoteLease.Leases) factory).threadPrefix();
                    // a notification makes the container deliver it on one of its threads
                    RemoteLease lease = factory.forHost("host-a");
                    assertThat(lease.acquire(this.key, Duration.ofSeconds(60))).isTrue();
                    assertThat(lease.release(this.key)).isTrue();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (containerThreads(prefix[0]) == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(containerThreads(prefix[0])).as("threads delivering notifications").isPositive();
                });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (containerThreads(prefix[0]) > 0 && System.nanoTime() < deadline) {
            EngineServers.sleep(20);
        }
        assertThat(containerThreads(prefix[0])).as("threads named " + prefix[0] + "* after the close").isZero();
    }

    private static long containerThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter((thread) -> thread.isAlive() && thread.getName().startsWith(prefix))
                .count();
    }

    /** A simulated host in this JVM: its own region directory, and cohort locks over Redis. */
    private final class InJvmHost implements AutoCloseable {

        final Path directory;

        final SharedRegion region;

        final CohortLocks locks;

        private final RemoteLease.Factory factory = engine.leases();

        InJvmHost(String name, Duration retryInterval) throws IOException {
            this(name, retryInterval, 16);
        }

        InJvmHost(String name, Duration retryInterval, int localHandoffs) throws IOException {
            this.directory = Files.createTempDirectory(Path.of("/dev/shm"), "hostsync-wakeup-" + name + "-");
            this.region = SharedRegion.open(RegionOptions.builder(RedisCohortWakeupTest.this.key)
                    .directory(this.directory)
                    .build());
            this.locks = new CohortLocks(this.region, this.factory,
                    new CohortSettings(Duration.ofSeconds(60), localHandoffs, Duration.ofSeconds(30), retryInterval));
        }

        @Override
        public void close() {
            this.locks.close();
            this.region.close();
            this.factory.close();
            EngineServers.delete(this.directory);
        }
    }
}

package io.hostsync.autoconfigure.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.hostsync.LockTimeoutException;
import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.guard.HostsyncGuardAutoConfiguration;
import io.hostsync.autoconfigure.integration.HostsyncIntegrationAutoConfiguration;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Keyed {@code @WriteGuarded} methods under {@code hostsync.cohort.engine=redis}, end to end: two
 * application contexts in this JVM are two hosts (two region directories) over one real
 * {@code redis-server}. A key held on one host keeps the other host out of that key only, also for
 * keys of kilobytes; the family's meters and health entry show the keys; Redis stopped makes the
 * guarded call fail naming it and the health DOWN, and both recover when it is back.
 */
class CohortGuardedAcrossHostsTest {

    private static EngineServers.Redis redis;

    @TempDir
    Path hostA;

    @TempDir
    Path hostB;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new EngineServers.Redis();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    private ApplicationContextRunner host(Path directory) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HostsyncAutoConfiguration.class,
                        HostsyncCohortAutoConfiguration.class, HostsyncIntegrationAutoConfiguration.class,
                        HostsyncGuardAutoConfiguration.class))
                .withBean(RedisConnectionFactory.class, CohortGuardedAcrossHostsTest::connections)
                .withBean(Orders.class)
                .withPropertyValues("hostsync.directory=" + directory, "hostsync.regions.guarded.size=1MB",
                        "hostsync.cohort.engine=redis", "hostsync.cohort.redis-registry-key=guarded-test",
                        "hostsync.cohort.retry-interval=5ms", "hostsync.cohort.acquire-timeout=5s");
    }

    private static LettuceConnectionFactory connections() {
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(Duration.ofSeconds(2))
                .clientOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .build())
                .build();
        return new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port), client);
    }

    @Test
    @Timeout(120)
    void aKeyHeldOnOneHostKeepsTheOtherHostOutOfThatKeyOnlyAndTheFamilyShowsInMetersAndHealth() throws Exception {
        String longKey = "k".repeat(10_000);
        String longNeighbour = "k".repeat(9_999) + "l"; // differs in its last character only
        host(this.hostA).run((a) -> host(this.hostB).run((b) -> {
            assertThat(a).hasNotFailed();
            assertThat(b).hasNotFailed();
            SimpleMeterRegistry metersA = new SimpleMeterRegistry();
            SimpleMeterRegistry metersB = new SimpleMeterRegistry();
            a.getBean(CohortMeterBinder.class).bindTo(metersA);
            b.getBean(CohortMeterBinder.class).bindTo(metersB);
            Orders ordersA = a.getBean(Orders.class);
            Orders ordersB = b.getBean(Orders.class);

            try (Holding held = new Holding(ordersA, "42"); Holding heldLong = new Holding(ordersA, longKey)) {
                assertThatExceptionOfType(LockTimeoutException.class).as("host B, key 42 held by host A")
                        .isThrownBy(() -> ordersB.touch("42"));
                assertThatExceptionOfType(LockTimeoutException.class).as("host B, the long key held by host A")
                        .isThrownBy(() -> ordersB.touch(longKey));
                assertThat(ordersB.touch("43")).as("host B, key 43").isEqualTo("43");
                assertThat(ordersB.touch(longNeighbour)).as("host B, a long key differing in its last character")
                        .isEqualTo(longNeighbour);
                assertThat(familyHealth(a)).as("host A's health of the family while it holds two keys")
                        .containsEntry("keysInUse", 2);
            }
            // host A released both keys: host B takes them at once
            assertThat(ordersB.touchPatiently("42")).isEqualTo("42");
            assertThat(ordersB.touchPatiently(longKey)).isEqualTo(longKey);

            assertThat(remoteAcquisitions(metersA)).as("host A's remote acquisitions of the family").isEqualTo(2);
            assertThat(remoteAcquisitions(metersB)).as("host B's remote acquisitions of the family").isEqualTo(4);
            assertThat(metersB.get(CohortMeterBinder.REMOTE_WAIT).tag("lock", "orders[*]").functionCounter().count())
                    .as("seconds host B waited for leases").isPositive();
            assertThat(familyHealth(b)).as("host B's health of the family once it released every key")
                    .containsEntry("keysInUse", 0);
            Health health = b.getBean(CohortHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
        }));
    }

    @Test
    @Timeout(120)
    void whileRedisIsDownAGuardedCallFailsNamingItAndTheHealthIsDownThenBothRecover() throws Exception {
        host(this.hostA).run((a) -> {
            Orders orders = a.getBean(Orders.class);
            CohortHealthIndicator health = a.getBean(CohortHealthIndicator.class);
            assertThat(orders.touchPatiently("before")).isEqualTo("before");
            redis.kill();
            try {
                assertThatExceptionOfType(RemoteLockUnavailableException.class)
                        .isThrownBy(() -> orders.touch("during"))
                        .withMessageContaining("guarded-test")
                        .withMessageContaining("hostsync.cohort");
                assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
                assertThat(familyHealth(a)).containsKey("failure").containsEntry("keysInUse", 0);
            } finally {
                redis.start();
            }
            assertThat(retry(() -> orders.touchPatiently("after"))).isEqualTo("after");
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    @Timeout(60)
    void aContextClosedWhileRedisIsDownAndItsSubscriptionPendingClosesWithoutWaitingForRedis() throws Exception {
        AtomicReference<String> threads = new AtomicReference<>();
        try {
            host(this.hostA).run((a) -> {
                threads.set(((RedisRemoteLease.Leases) a.getBean(RemoteLease.Factory.class)).threadPrefix());
                Orders orders = a.getBean(Orders.class);
                redis.kill();
                // the failed acquisition waits for a release, which starts the subscription Redis cannot answer
                assertThatExceptionOfType(RemoteLockUnavailableException.class)
                        .isThrownBy(() -> orders.touch("during"));
                assertThatExceptionOfType(RemoteLockUnavailableException.class)
                        .isThrownBy(() -> orders.touch("again"));
            }); // the context closes here, Redis still down
        } finally {
            redis.start();
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                .as("threads of the closed context's release subscription")
                .noneMatch((name) -> name.startsWith(threads.get()));
    }

    private static String retry(Supplier<String> call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return call.get();
            } catch (RemoteLockUnavailableException ex) {
                if (System.nanoTime() > deadline) {
                    throw ex;
                }
                Thread.sleep(100); // the client reconnects to the restarted server
            }
        }
    }

    private static double remoteAcquisitions(SimpleMeterRegistry registry) {
        return registry.get(CohortMeterBinder.REMOTE_ACQUISITIONS)
                .tags("region", "guarded", "lock", "orders[*]")
                .functionCounter()
                .count();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> familyHealth(AssertableApplicationContext context) {
        Health health = context.getBean(CohortHealthIndicator.class).health();
        Map<String, Object> locks = (Map<String, Object>) health.getDetails().get("locks");
        assertThat(locks).as("the health's locks").containsKey("guarded:orders[*]");
        return (Map<String, Object>) locks.get("guarded:orders[*]");
    }

    /** Holds the write lock of one key on a thread of its own until closed. */
    private static final class Holding implements AutoCloseable {

        private final CountDownLatch held = new CountDownLatch(1);

        private final CountDownLatch release = new CountDownLatch(1);

        private final Thread thread;

        Holding(Orders orders, String id) throws InterruptedException {
            this.thread = new Thread(() -> orders.hold(id, this.held, this.release), "holding-" + id.length());
            this.thread.start();
            assertThat(this.held.await(30, TimeUnit.SECONDS)).as("the key " + abbreviated(id) + " held").isTrue();
        }

        private static String abbreviated(String id) {
            return (id.length() > 10) ? id.substring(0, 10) + "... (" + id.length() + " characters)" : id;
        }

        @Override
        public void close() throws InterruptedException {
            this.release.countDown();
            this.thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(this.thread.isAlive()).as("the holder thread ended").isFalse();
        }
    }

    static class Orders {

        @WriteGuarded(region = "guarded", lock = "orders", key = "#id", timeout = "300ms")
        public String touch(String id) {
            return id;
        }

        @WriteGuarded(region = "guarded", lock = "orders", key = "#id", timeout = "10s")
        public String touchPatiently(String id) {
            return id;
        }

        @WriteGuarded(region = "guarded", lock = "orders", key = "#id")
        public void hold(String id, CountDownLatch held, CountDownLatch release) {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

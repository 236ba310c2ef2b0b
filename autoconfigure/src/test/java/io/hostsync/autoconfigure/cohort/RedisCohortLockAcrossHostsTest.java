package io.hostsync.autoconfigure.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.Supplier;

import io.hostsync.annotation.ReadGuarded;
import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.guard.HostsyncGuardAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** The two-host contract over a real redis-server, with leases in Redis and the shared number in Redis. */
class RedisCohortLockAcrossHostsTest extends CohortLockAcrossHostsContract {

    private static EngineServers.Redis server;

    private static TestEngine client;

    @BeforeAll
    static void startRedis() throws Exception {
        server = new EngineServers.Redis();
        client = TestEngine.open("redis", server.endpoint());
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @TempDir
    Path directory;

    @Test
    void withTheRedisEngineConfiguredGuardedMethodsRunUnderTheHostsLeaseInRedis() {
        String region = "cohort-guard-" + Long.toHexString(System.nanoTime());
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HostsyncAutoConfiguration.class,
                        HostsyncGuardAutoConfiguration.class, HostsyncCohortAutoConfiguration.class))
                .withBean(RedisConnectionFactory.class, () -> {
                    LettuceConnectionFactory factory = new LettuceConnectionFactory(
                            new RedisStandaloneConfiguration("127.0.0.1", server.port));
                    factory.afterPropertiesSet();
                    factory.start();
                    return factory;
                })
                .withBean(Ledger.class)
                .withPropertyValues("hostsync.directory=" + this.directory, "hostsync.regions." + region + ".size=1MB",
                        "hostsync.cohort.engine=redis")
                .run((context) -> {
                    CohortLock lock = context.getBean(HostsyncCohorts.class).lock(region, "default");
                    Ledger ledger = context.getBean(Ledger.class);
                    assertThat(
                            ledger.write(() -> lock.isHeldByHost() && lock.hostLock().isWriteLockedByCurrentThread()))
                            .as("inside a @WriteGuarded method: the host's write lock and the lease").isEqualTo(true);
                    assertThat(ledger.read(() -> lock.isHeldByHost() && lock.hostLock().getReadHoldCount() == 1))
                            .as("inside a @ReadGuarded method: the host's read lock and the lease").isEqualTo(true);
                    assertThat(lock.remoteKey()).isEqualTo(region + ":default");
                    assertThat(lock.statistics().remoteAcquisitions()).isPositive();
                });
    }

    /** A bean with guarded methods on the default lock of the default region. */
    static class Ledger {

        @WriteGuarded
        public Object write(Supplier<Object> work) {
            return work.get();
        }

        @ReadGuarded
        public Object read(Supplier<Object> work) {
            return work.get();
        }
    }

    @Override
    String engine() {
        return "redis";
    }

    @Override
    String endpoint() {
        return server.endpoint();
    }

    @Override
    void stopEngine() throws Exception {
        server.kill();
    }

    @Override
    void startEngine() throws Exception {
        server.start();
    }

    @Override
    long value() {
        return whenReconnected(client::value);
    }

    @Override
    void reset() {
        whenReconnected(() -> {
            client.setValue(0);
            return 0L;
        });
    }

    /** After a test that restarted Redis, this client reconnects in the background. */
    private static long whenReconnected(java.util.function.LongSupplier operation) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return operation.getAsLong();
            } catch (RuntimeException ex) {
                if (System.nanoTime() > deadline) {
                    throw ex;
                }
                EngineServers.sleep(100);
            }
        }
    }
}

package io.hostsync.autoconfigure.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;

import javax.sql.DataSource;

import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.guard.HostsyncGuardAutoConfiguration;
import io.hostsync.autoconfigure.integration.HostsyncIntegrationAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Tests for {@link HostsyncCohortAutoConfiguration}: which beans {@code hostsync.cohort.engine}
 * brings. No engine is reached here: leases are taken only when a lock is.
 */
class HostsyncCohortAutoConfigurationTests {

    private final String region = "cohort-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HostsyncAutoConfiguration.class,
                    HostsyncCohortAutoConfiguration.class, HostsyncIntegrationAutoConfiguration.class))
            .withBean(DataSource.class, PGSimpleDataSource::new);

    private ApplicationContextRunner inRegion(String... properties) {
        return this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.region + ".size=1MB")
                .withPropertyValues(properties);
    }

    @Test
    void whenNoEngineIsConfiguredThenThereAreNoCohortLocks() {
        inRegion().run((context) -> {
            assertThat(context).doesNotHaveBean(HostsyncCohorts.class).doesNotHaveBean(CohortLockRegistry.class);
            assertThat(context).hasBean("hostsyncLockRegistry");
        });
    }

    @Test
    void whenTheJdbcEngineIsConfiguredThenCohortLocksTheirRegistryAndHealthAreBeans() {
        inRegion("hostsync.cohort.engine=jdbc", "hostsync.cohort.local-handoffs=4").run((context) -> {
            assertThat(context).hasSingleBean(HostsyncCohorts.class).hasSingleBean(CohortHealthIndicator.class);
            assertThat(context).hasSingleBean(LockRegistry.class).hasSingleBean(CohortLockRegistry.class);
            assertThat(context.getBean(RemoteLease.Factory.class).forHost("h").describe()).contains("INT_LOCK");
        });
    }

    @Test
    void keyedGuardedMethodsStartAndTheRegistryTakesAnyKey() {
        inRegion("hostsync.cohort.engine=jdbc")
                .withConfiguration(AutoConfigurations.of(HostsyncGuardAutoConfiguration.class))
                .withBean(KeyedOrders.class)
                .run((context) -> {
                    assertThat(context).hasNotFailed().hasSingleBean(KeyedOrders.class);
                    LockRegistry<?> registry = context.getBean(LockRegistry.class);
                    assertThat(registry.obtain("order 42 / ü")).as("a key that is no lock name").isNotNull();
                    assertThat(registry.obtain(42)).isNotNull();
                });
    }

    static class KeyedOrders {

        @WriteGuarded(key = "#id")
        public void update(String id) {
        }
    }

    @Test
    void keyNamesAreOneForTheSameBytesAndDifferForDifferentKeys() {
        byte[] utf8 = "42".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(CohortLocks.keyName("orders", utf8)).isEqualTo("orders['42']");
        assertThat(CohortLocks.keyName("orders", new byte[] { (byte) 0xff, 1 })).isEqualTo("orders[0xff01]");
        assertThat(CohortLocks.keyName("orders", "0xff01".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("orders['0xff01']");
        for (byte[] key : java.util.List.of(utf8, new byte[] { (byte) 0xff, 1 },
                "a']['b".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0])) {
            java.util.Map.Entry<String, byte[]> parsed = CohortLocks.parseKeyName(CohortLocks.keyName("orders", key));
            assertThat(parsed).isNotNull();
            assertThat(parsed.getKey()).isEqualTo("orders");
            assertThat(parsed.getValue()).isEqualTo(key);
        }
    }

    @Test
    void aKeyLongerThanTheLimitIsNamedByItsDigestAndTwoLongKeysDifferingInTheirLastByteDiffer() {
        byte[] key = new byte[4096];
        java.util.Arrays.fill(key, (byte) 'k');
        byte[] neighbour = key.clone();
        neighbour[neighbour.length - 1] = 'l';
        byte[] digest = CohortLocks.digestKey("orders", key);
        assertThat(digest).hasSize(33).startsWith((byte) 0xFF);
        assertThat(CohortLocks.digestKey("orders", neighbour)).isNotEqualTo(digest);
        assertThat(CohortLocks.digestKey("orders", key)).as("the same key, again").isEqualTo(digest);
        assertThat(CohortLocks.digestKey("items", key)).as("the same key in another family").isNotEqualTo(digest);
        String name = CohortLocks.keyName("orders", digest);
        assertThat(name).startsWith("orders[0xff").hasSize("orders[0x]".length() + 66);
        java.util.Map.Entry<String, byte[]> parsed = CohortLocks.parseKeyName(name);
        assertThat(parsed).isNotNull();
        assertThat(parsed.getValue()).as("what the maintenance reopens the key's locks with").isEqualTo(digest);
    }

    @Test
    void whenTheRedisEngineIsConfiguredWithoutAConnectionFactoryThenStartupFails() {
        inRegion("hostsync.cohort.engine=redis").run((context) -> assertThat(context).hasFailed());
    }

    @Test
    void whenTheLeaseTimeIsTooShortThenStartupNamesTheProperty() {
        inRegion("hostsync.cohort.engine=jdbc", "hostsync.cohort.lease-time=10ms").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("hostsync.cohort.lease-time=");
        });
    }
}

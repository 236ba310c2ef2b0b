package io.hostsync.autoconfigure.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;

import javax.sql.DataSource;

import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
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

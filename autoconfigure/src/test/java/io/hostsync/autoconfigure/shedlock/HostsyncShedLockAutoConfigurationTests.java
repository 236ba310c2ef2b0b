package io.hostsync.autoconfigure.shedlock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.metrics.HostsyncMeterNames;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HostsyncShedLockAutoConfiguration}.
 */
class HostsyncShedLockAutoConfigurationTests {

    private final String region = "shedlock-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncShedLockAutoConfiguration.class));

    private ApplicationContextRunner inRegion() {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory,
                "hostsync.regions." + this.region + ".size=1MB");
    }

    @Test
    void theAutoConfigurationIsListedInTheImportsFile() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
                .contains(HostsyncShedLockAutoConfiguration.class.getName());
    }

    @Test
    void whenShedLockIsPresentThenALockProviderOverTheDefaultRegionIsABean() {
        inRegion().run((context) -> {
            assertThat(context).hasSingleBean(LockProvider.class).hasBean("hostsyncLockProvider");
            HostsyncLockProvider provider = context.getBean(HostsyncLockProvider.class);
            assertThat(provider.getRegion()).isSameAs(context.getBean(SharedRegion.class));
            Optional<SimpleLock> lock = provider.lock(new LockConfiguration(ClockProvider.now(), "nightly-report",
                    Duration.ofMinutes(1), Duration.ZERO));
            assertThat(lock).isPresent();
            assertThat(context.getBean(SharedRegion.class).state().mapStatistics(HostsyncLockProvider.DEFAULT_MAP))
                    .as("the job's record is in the map 'shedlock'")
                    .satisfies((statistics) -> assertThat(statistics.size()).isEqualTo(1));
            lock.get().unlock();
        });
    }

    @Test
    void theProvidersRecoveriesAreAMeterOfThisProcess() {
        inRegion().run((context) -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean("hostsyncLockProviderMeters", MeterBinder.class).bindTo(registry);
            assertThat(registry.get(HostsyncMeterNames.SHEDLOCK_RECOVERIES)
                    .tags("region", this.region, "scope", "process")
                    .functionCounter()
                    .count()).isZero();
        });
    }

    @Test
    void withMetricsOffThereIsNoMeter() {
        inRegion().withPropertyValues("hostsync.metrics.enabled=false")
                .run((context) -> assertThat(context).hasSingleBean(HostsyncLockProvider.class)
                        .doesNotHaveBean("hostsyncLockProviderMeters"));
    }

    @Test
    void whenTheApplicationDefinesALockProviderThenTheAutoConfiguredOneBacksOff() {
        inRegion().withUserConfiguration(OwnLockProvider.class).run((context) -> {
            assertThat(context).hasSingleBean(LockProvider.class).doesNotHaveBean(HostsyncLockProvider.class);
        });
    }

    @Test
    void whenShedLockIsAbsentThenThereIsNoLockProvider() {
        inRegion().withClassLoader(new FilteredClassLoader(LockProvider.class)).run((context) -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("hostsyncLockProvider");
        });
    }

    @Test
    void theRegionAndMapAreThoseConfigured() {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.region + ".default=true",
                        "hostsync.regions." + this.region + "-jobs.size=1MB",
                        "hostsync.shedlock.region=" + this.region + "-jobs",
                        "hostsync.shedlock.map=jobs", "hostsync.shedlock.max-jobs=16")
                .run((context) -> {
                    HostsyncLockProvider provider = context.getBean(HostsyncLockProvider.class);
                    assertThat(provider.getRegion().name()).isEqualTo(this.region + "-jobs");
                    assertThat(provider.getRegion().state().mapStatistics("jobs")).isNotNull();
                });
    }

    @Test
    void anUnknownRegionFailsStartupNamingTheConfiguredOnes() {
        inRegion().withPropertyValues("hostsync.shedlock.region=missing").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("hostsync.shedlock.region names region 'missing'")
                    .hasMessageContaining(this.region);
        });
    }

    @Test
    void severalRegionsAndNoDefaultFailStartupSayingWhichToSet() {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.region + "-a.size=1MB",
                        "hostsync.regions." + this.region + "-b.size=1MB")
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("The ShedLock lock provider has no region")
                            .hasMessageContaining("hostsync.shedlock.region");
                });
    }

    @Test
    void aMisspelledShedLockPropertyFailsStartup() {
        inRegion().withPropertyValues("hostsync.shedlock.max-job=16").run((context) -> assertThat(context).hasFailed());
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLockProvider {

        @Bean
        LockProvider ownLockProvider() {
            return (configuration) -> Optional.empty();
        }
    }
}

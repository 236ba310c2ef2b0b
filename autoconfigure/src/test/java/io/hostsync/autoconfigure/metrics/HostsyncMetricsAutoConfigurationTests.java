package io.hostsync.autoconfigure.metrics;

import java.nio.file.Path;
import java.util.UUID;

import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.actuate.HostsyncEndpointAutoConfiguration;
import io.hostsync.autoconfigure.actuate.HostsyncHealthContributorAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HostsyncMetricsAutoConfiguration}.
 */
class HostsyncMetricsAutoConfigurationTests {

    private static final String CONFIGURED_LOCK = "cache-rebuild";

    @TempDir
    Path directory;

    private final String regionName = "metrics-" + UUID.randomUUID().toString().substring(0, 8);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, HostsyncAutoConfiguration.class,
                    HostsyncMetricsAutoConfiguration.class));

    @Test
    void everyAutoConfigurationIsListedInTheImportsFile() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())).contains(
                HostsyncMetricsAutoConfiguration.class.getName(), HostsyncEndpointAutoConfiguration.class.getName(),
                HostsyncHealthContributorAutoConfiguration.class.getName());
    }

    @Test
    void whenAMeterRegistryExistsThenEveryConfiguredLockHasItsMetersWithZeros() {
        withRegion().withPropertyValues("hostsync.regions." + this.regionName + ".locks=" + CONFIGURED_LOCK)
                .run((context) -> {
                    assertThat(context).hasSingleBean(HostsyncMeterBinder.class)
                            .hasSingleBean(MicrometerMetricsRecorder.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    for (String lock : new String[] { "default", CONFIGURED_LOCK }) {
                        for (String scope : new String[] { "host", "process" }) {
                            assertThat(registry.get("hostsync.lock.acquire")
                                    .tags("region", this.regionName, "lock", lock, "scope", scope)
                                    .functionTimer()
                                    .count()).isZero();
                        }
                        assertThat(registry.get("hostsync.lock.hold")
                                .tags("region", this.regionName, "lock", lock, "mode", "write")
                                .timer()
                                .count()).isZero();
                    }
                    assertThat(registry.get("hostsync.region.size").tag("region", this.regionName).gauge().value())
                            .isEqualTo(context.getBean(SharedRegion.class).size());
                });
    }

    @Test
    void meterValuesFollowTheLocksAsTheyAreTaken() {
        withRegion().run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            RWLock lock = context.getBean(SharedRegion.class).lock();
            lock.writeLock().lock();
            try {
                assertThat(registry.get("hostsync.lock.holders")
                        .tags("region", this.regionName, "lock", "default", "mode", "write", "scope", "host")
                        .gauge()
                        .value()).isOne();
            } finally {
                lock.writeLock().unlock();
            }
            assertThat(registry.get("hostsync.lock.acquire")
                    .tags("region", this.regionName, "lock", "default", "scope", "process")
                    .functionTimer()
                    .count()).isOne();
        });
    }

    @Test
    void theRecorderBeanRecordsIntoTheApplicationsRegistry() {
        withRegion().run((context) -> {
            context.getBean(HostsyncMetricsRecorder.class)
                    .recordHold(this.regionName, "default", HostsyncMetricsRecorder.Mode.READ,
                            java.time.Duration.ofMillis(3));
            assertThat(context.getBean(MeterRegistry.class)
                    .get("hostsync.lock.hold")
                    .tags("region", this.regionName, "lock", "default", "mode", "read")
                    .timer()
                    .count()).isOne();
        });
    }

    @Test
    void whenTheContextClosesThenItsHostsyncMetersAreRemoved() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        withRegion().withBean(SimpleMeterRegistry.class, () -> registry).run((context) -> {
            assertThat(registry.find("hostsync.lock.acquire").meters()).isNotEmpty();
        });
        assertThat(registry.getMeters()).noneMatch((meter) -> meter.getId().getName().startsWith("hostsync."));
    }

    @Test
    void whenMetricsAreDisabledThenNoHostsyncMeterIsRegistered() {
        withRegion().withPropertyValues("hostsync.metrics.enabled=false").run((context) -> {
            assertThat(context).hasSingleBean(SharedRegion.class)
                    .doesNotHaveBean(HostsyncMeterBinder.class)
                    .doesNotHaveBean(HostsyncMetricsRecorder.class);
            assertThat(context.getBean(MeterRegistry.class).find("hostsync.lock.acquire").meters()).isEmpty();
        });
    }

    @Test
    void whenThereIsNoMeterRegistryThenThereIsNoBinderNorRecorder() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncMetricsAutoConfiguration.class))
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.regionName + ".size=1MB")
                .run((context) -> assertThat(context).hasSingleBean(SharedRegion.class)
                        .doesNotHaveBean(MeterBinder.class)
                        .doesNotHaveBean(HostsyncMetricsRecorder.class));
    }

    @Test
    void whenMicrometerIsNotOnTheClassPathThenTheRegionsAreStillCreated() {
        withRegion().withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run((context) -> assertThat(context).hasNotFailed()
                        .hasSingleBean(SharedRegion.class)
                        .doesNotHaveBean(HostsyncMeterBinder.class)
                        .doesNotHaveBean(HostsyncMetricsRecorder.class));
    }

    @Test
    void aUserDefinedBinderAndRecorderReplaceTheAutoConfiguredOnes() {
        withRegion().withUserConfiguration(UserMetricsConfiguration.class).run((context) -> {
            assertThat(context).getBean(HostsyncMeterBinder.class).isSameAs(UserMetricsConfiguration.BINDER);
            assertThat(context).getBean(HostsyncMetricsRecorder.class).isSameAs(HostsyncMetricsRecorder.none());
        });
    }

    private ApplicationContextRunner withRegion() {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory,
                "hostsync.regions." + this.regionName + ".size=1MB");
    }

    @Configuration(proxyBeanMethods = false)
    static class UserMetricsConfiguration {

        static final HostsyncMeterBinder BINDER = new HostsyncMeterBinder(java.util.List.of());

        @Bean
        HostsyncMeterBinder userBinder() {
            return BINDER;
        }

        @Bean
        HostsyncMetricsRecorder userRecorder() {
            return HostsyncMetricsRecorder.none();
        }
    }
}

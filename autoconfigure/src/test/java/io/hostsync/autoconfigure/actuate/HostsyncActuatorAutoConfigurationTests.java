package io.hostsync.autoconfigure.actuate;

import java.nio.file.Path;
import java.util.UUID;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.metrics.HostsyncMeterBinder;
import io.hostsync.autoconfigure.metrics.HostsyncMetricsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HostsyncEndpointAutoConfiguration} and
 * {@link HostsyncHealthContributorAutoConfiguration}.
 */
class HostsyncActuatorAutoConfigurationTests {

    @TempDir
    Path directory;

    private final String regionName = "actuator-" + UUID.randomUUID().toString().substring(0, 8);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HostsyncAutoConfiguration.class,
                    HostsyncEndpointAutoConfiguration.class, HostsyncHealthContributorAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class));

    @Test
    void whenTheEndpointIsExposedThenItDescribesTheRegions() {
        withRegion().withPropertyValues("management.endpoints.web.exposure.include=hostsync").run((context) -> {
            assertThat(context).hasSingleBean(HostsyncEndpoint.class);
            assertThat(context.getBean(HostsyncEndpoint.class).regions().regions()).containsOnlyKeys(this.regionName);
        });
    }

    @Test
    void whenTheEndpointIsNotExposedThenThereIsNoEndpointBean() {
        withRegion().run((context) -> assertThat(context).doesNotHaveBean(HostsyncEndpoint.class));
    }

    @Test
    void whenAccessToTheEndpointIsNoneThenThereIsNoEndpointBean() {
        withRegion()
                .withPropertyValues("management.endpoints.web.exposure.include=hostsync",
                        "management.endpoint.hostsync.access=NONE")
                .run((context) -> assertThat(context).doesNotHaveBean(HostsyncEndpoint.class));
    }

    @Test
    void theHealthIndicatorIsContributedUnderTheNameHostsync() {
        withRegion().run((context) -> {
            assertThat(context).hasSingleBean(HostsyncHealthIndicator.class).hasBean("hostsyncHealthIndicator");
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("hostsync"))
                    .isSameAs(context.getBean(HostsyncHealthIndicator.class));
        });
    }

    @Test
    void theHealthIndicatorUsesTheConfiguredMaximumHold() {
        withRegion().withPropertyValues("hostsync.health.max-hold=200ms")
                .run((context) -> assertThat(context.getBean(HostsyncHealthIndicator.class).health().getDetails())
                        .containsEntry("maxHoldMillis", 200L));
    }

    @Test
    void theHealthIndicatorUsesTheConfiguredScopeAndProcessByDefault() {
        withRegion().run((context) -> assertThat(context.getBean(HostsyncHealthIndicator.class).health().getDetails())
                .containsEntry("scope", "process"));
        withRegion().withPropertyValues("hostsync.health.scope=host")
                .run((context) -> assertThat(context.getBean(HostsyncHealthIndicator.class).health().getDetails())
                        .containsEntry("scope", "host"));
    }

    @Test
    void theHealthIndicatorSamplesInTheBackgroundFromTheStartOfTheContextToItsClose() {
        HostsyncHealthIndicator[] started = new HostsyncHealthIndicator[1];
        withRegion().run((context) -> {
            started[0] = context.getBean(HostsyncHealthIndicator.class);
            assertThat(started[0].isRunning()).isTrue();
        });
        assertThat(started[0].isRunning()).as("stopped when the context closed").isFalse();
    }

    @Test
    void whenTheHealthIndicatorIsDisabledThenThereIsNone() {
        withRegion().withPropertyValues("management.health.hostsync.enabled=false")
                .run((context) -> assertThat(context).doesNotHaveBean(HostsyncHealthIndicator.class));
    }

    @Test
    void aUserDefinedHostsyncHealthIndicatorReplacesTheAutoConfiguredOne() {
        HealthIndicator custom = () -> org.springframework.boot.health.contributor.Health.up().build();
        withRegion().withBean("hostsyncHealthIndicator", HealthIndicator.class, () -> custom)
                .run((context) -> assertThat(context).doesNotHaveBean(HostsyncHealthIndicator.class)
                        .getBean("hostsyncHealthIndicator")
                        .isSameAs(custom));
    }

    @Test
    void whenActuatorIsNotOnTheClassPathThenTheRegionsAreStillCreatedWithoutTheEndpoint() {
        withRegion().withPropertyValues("management.endpoints.web.exposure.include=hostsync")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run((context) -> assertThat(context).hasNotFailed()
                        .hasSingleBean(SharedRegion.class)
                        .doesNotHaveBean(HostsyncEndpoint.class));
    }

    @Test
    void whenHealthSupportIsNotOnTheClassPathThenTheRegionsAreStillCreatedWithoutTheIndicator() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HostsyncAutoConfiguration.class,
                        HostsyncHealthContributorAutoConfiguration.class))
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.regionName + ".size=1MB")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run((context) -> assertThat(context).hasNotFailed()
                        .hasSingleBean(SharedRegion.class)
                        .doesNotHaveBean(HostsyncHealthIndicator.class));
    }

    @Test
    void withoutMicrometerActuatorAndHealthSupportTheRegionsAreStillCreated() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HostsyncAutoConfiguration.class,
                        HostsyncMetricsAutoConfiguration.class, HostsyncEndpointAutoConfiguration.class,
                        HostsyncHealthContributorAutoConfiguration.class))
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.regionName + ".size=1MB",
                        "management.endpoints.web.exposure.include=*")
                .withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.actuate",
                        "org.springframework.boot.health"))
                .run((context) -> assertThat(context).hasNotFailed()
                        .hasSingleBean(SharedRegion.class)
                        .doesNotHaveBean(HostsyncMeterBinder.class)
                        .doesNotHaveBean(HostsyncEndpoint.class)
                        .doesNotHaveBean(HostsyncHealthIndicator.class));
    }

    private ApplicationContextRunner withRegion() {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory,
                "hostsync.regions." + this.regionName + ".size=1MB");
    }
}

package io.hostsync.autoconfigure;

import java.nio.file.Path;
import java.util.UUID;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HostsyncAutoConfiguration}.
 */
class HostsyncAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HostsyncAutoConfiguration.class));

    @TempDir
    Path directory;

    @Test
    void autoConfigurationIsListedInTheImportsFile() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
            .contains(HostsyncAutoConfiguration.class.getName());
    }

    @Test
    void whenNoRegionIsConfiguredThenDefaultRegionIsCreated() {
        inTemporaryDirectory().run((context) -> {
            assertThat(context).hasSingleBean(SharedRegion.class)
                .hasBean("hostsyncRegion-default")
                .hasSingleBean(HostsyncProperties.class);
            SharedRegion region = context.getBean(SharedRegion.class);
            assertThat(region.name()).isEqualTo("default");
            assertThat(region.file()).isEqualTo(this.directory.resolve("hostsync-default"));
            assertThat(region.size()).isEqualTo(DataSize.ofMegabytes(1).toBytes());
            assertThat(region.participants()).singleElement().satisfies((participant) -> {
                assertThat(participant.self()).isTrue();
                assertThat(participant.slot()).isEqualTo(region.slot());
            });
        });
    }

    @Test
    void whenTwoRegionsAreConfiguredThenEachIsInjectedByItsQualifier() {
        // Qualifiers must be constants; the temporary directory keeps these names apart from other tests.
        inTemporaryDirectory().withPropertyValues("hostsync.regions.orders.size=2MB", "hostsync.regions.prices.size=1MB")
            .withUserConfiguration(QualifiedInjectionConfiguration.class)
            .run((context) -> {
                assertThat(context).getBeans(SharedRegion.class)
                    .containsOnlyKeys("hostsyncRegion-orders", "hostsyncRegion-prices");
                QualifiedInjectionConfiguration.Client client = context
                    .getBean(QualifiedInjectionConfiguration.Client.class);
                assertThat(client.orders().name()).isEqualTo("orders");
                assertThat(client.orders().size()).isEqualTo(DataSize.ofMegabytes(2).toBytes());
                assertThat(client.prices().name()).isEqualTo("prices");
            });
    }

    @Test
    void whenSeveralRegionsAreConfiguredThenTheOneMarkedDefaultIsInjectedWithoutQualifier() {
        String orders = uniqueName("orders");
        String prices = uniqueName("prices");
        inTemporaryDirectory()
            .withPropertyValues("hostsync.regions." + orders + ".size=1MB", "hostsync.regions." + prices + ".default=true")
            .run((context) -> assertThat(context).getBean(SharedRegion.class)
                .satisfies((region) -> assertThat(region.name()).isEqualTo(prices)));
    }

    @Test
    void whenSeveralRegionsAreConfiguredAndNoneIsMarkedDefaultThenTheRegionNamedDefaultIsInjectedWithoutQualifier() {
        inTemporaryDirectory()
            .withPropertyValues("hostsync.regions." + uniqueName("orders") + ".size=1MB",
                    "hostsync.regions.default.size=1MB")
            .run((context) -> assertThat(context).getBean(SharedRegion.class)
                .satisfies((region) -> assertThat(region.name()).isEqualTo("default")));
    }

    @Test
    void whenTwoRegionsAreMarkedDefaultThenStartupFailsNamingTheSecond() {
        String orders = uniqueName("orders");
        String prices = uniqueName("prices");
        inTemporaryDirectory()
            .withPropertyValues("hostsync.regions." + orders + ".default=true",
                    "hostsync.regions." + prices + ".default=true")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .satisfies((failure) -> assertThat(invalidProperty(failure).getName())
                    .isEqualTo("hostsync.regions." + prices + ".default")));
    }

    @Test
    void whenARegionHasItsOwnDirectoryThenItsFileIsCreatedThere(@TempDir Path persistent) {
        String orders = uniqueName("orders");
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + orders + ".directory=" + persistent)
            .run((context) -> assertThat(context.getBean(SharedRegion.class).file())
                .isEqualTo(persistent.resolve("hostsync-" + orders)));
    }

    @Test
    void whenUserDefinesASharedRegionThenAutoConfiguredRegionBacksOff() {
        inTemporaryDirectory().withUserConfiguration(UserRegionConfiguration.class)
            .withPropertyValues("test.directory=" + this.directory)
            .run((context) -> {
                assertThat(context).hasSingleBean(SharedRegion.class)
                    .hasBean("userRegion")
                    .doesNotHaveBean("hostsyncRegion-default");
                assertThat(context.getBean(SharedRegion.class).name()).isEqualTo("user");
            });
    }

    @Test
    void whenFileModeIsNotOctalThenStartupFailsNamingTheProperty() {
        String orders = uniqueName("orders");
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + orders + ".file-mode=rw-rw----")
            .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> {
                InvalidConfigurationPropertyValueException invalid = invalidProperty(failure);
                assertThat(invalid.getName()).isEqualTo("hostsync.regions." + orders + ".file-mode");
                assertThat(invalid.getValue()).isEqualTo("rw-rw----");
                assertThat(invalid.getReason()).contains("\"0660\"");
            }));
    }

    @Test
    void whenFileModeHasNoLeadingZeroThenStartupFailsAsItMayBeAYamlNumber() {
        String orders = uniqueName("orders");
        // An unquoted 0660 in YAML is the number 432.
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + orders + ".file-mode=432")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .satisfies((failure) -> assertThat(invalidProperty(failure).getName())
                    .isEqualTo("hostsync.regions." + orders + ".file-mode")));
    }

    @Test
    void whenFileModeDeniesTheOwnerThenStartupFailsNamingTheProperty() {
        String orders = uniqueName("orders");
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + orders + ".file-mode=0440")
            .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> {
                InvalidConfigurationPropertyValueException invalid = invalidProperty(failure);
                assertThat(invalid.getName()).isEqualTo("hostsync.regions." + orders + ".file-mode");
                assertThat(invalid.getReason()).contains(orders);
            }));
    }

    @Test
    void whenSizeIsTooSmallThenStartupFailsNamingTheProperty() {
        String orders = uniqueName("orders");
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + orders + ".size=1KB")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .satisfies((failure) -> assertThat(invalidProperty(failure).getName())
                    .isEqualTo("hostsync.regions." + orders + ".size")));
    }

    @Test
    void whenRegionNameIsNotAllowedThenStartupFailsNamingTheRegion() {
        inTemporaryDirectory().withPropertyValues("hostsync.regions[with space].size=1MB")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .satisfies((failure) -> assertThat(invalidProperty(failure).getName())
                    .isEqualTo("hostsync.regions.with space")));
    }

    @Test
    void whenLazyInitializationIsEnabledThenRegionsAreStillOpenedAtStartup() {
        inTemporaryDirectory().withBean(LazyInitializationBeanFactoryPostProcessor.class)
            .run((context) -> assertThat(this.directory.resolve("hostsync-default")).exists());
    }

    @Test
    void whenContextClosesThenRegionIsClosed() {
        SharedRegion[] opened = new SharedRegion[1];
        inTemporaryDirectory().run((context) -> {
            opened[0] = context.getBean(SharedRegion.class);
            assertThat(opened[0].isClosed()).isFalse();
        });
        assertThat(opened[0].isClosed()).isTrue();
    }

    private ApplicationContextRunner inTemporaryDirectory() {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory);
    }

    private static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static InvalidConfigurationPropertyValueException invalidProperty(Throwable failure) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
        assertThat(root).isInstanceOf(InvalidConfigurationPropertyValueException.class);
        return (InvalidConfigurationPropertyValueException) root;
    }

    @Configuration(proxyBeanMethods = false)
    static class QualifiedInjectionConfiguration {

        @Bean
        Client client(@Qualifier("orders") SharedRegion orders, @Qualifier("prices") SharedRegion prices) {
            return new Client(orders, prices);
        }

        record Client(SharedRegion orders, SharedRegion prices) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegionConfiguration {

        @Bean
        SharedRegion userRegion(Environment environment) {
            Path directory = Path.of(environment.getRequiredProperty("test.directory"));
            return SharedRegion.open(RegionOptions.builder("user").directory(directory).build());
        }
    }
}

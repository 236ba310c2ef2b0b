package io.hostsync.autoconfigure;

import io.hostsync.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.hostsync.RWLock;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedState;
import io.hostsync.autoconfigure.guard.HostsyncGuardAutoConfiguration;
import io.hostsync.autoconfigure.integration.HostsyncIntegrationAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.properties.bind.BindException;
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
    void autoConfigurationsAreListedInTheImportsFile() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
                .contains(HostsyncAutoConfiguration.class.getName(), HostsyncGuardAutoConfiguration.class.getName(),
                        HostsyncIntegrationAutoConfiguration.class.getName());
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
        inTemporaryDirectory()
                .withPropertyValues("hostsync.regions.orders.size=2MB", "hostsync.regions.prices.size=1MB")
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
                .withPropertyValues("hostsync.regions." + orders + ".size=1MB",
                        "hostsync.regions." + prices + ".default=true")
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

    @Test
    void whenNoRegionIsConfiguredThenTheDefaultRegionsStateAndLockAreBeans() {
        inTemporaryDirectory().run((context) -> {
            assertThat(context).hasSingleBean(SharedState.class)
                    .hasBean("hostsyncState-default")
                    .hasSingleBean(RWLock.class)
                    .hasBean("hostsyncLock-default");
            RWLock lock = context.getBean(RWLock.class);
            assertThat(lock.regionName()).isEqualTo("default");
            assertThat(lock.name()).isEqualTo("default");
            assertThat(context.getBean(SharedState.class)).isSameAs(context.getBean(SharedRegion.class).state());
        });
    }

    @Test
    void whenTwoRegionsAreConfiguredThenTheirStatesAndLocksAreInjectedByQualifier() {
        inTemporaryDirectory()
                .withPropertyValues("hostsync.regions.orders.size=1MB", "hostsync.regions.prices.size=1MB")
                .withUserConfiguration(QualifiedStateAndLockConfiguration.class)
                .run((context) -> {
                    assertThat(context).getBeans(SharedState.class)
                            .containsOnlyKeys("hostsyncState-orders", "hostsyncState-prices");
                    assertThat(context).getBeans(RWLock.class).containsOnlyKeys("hostsyncLock-orders",
                            "hostsyncLock-prices");
                    QualifiedStateAndLockConfiguration.Client client = context
                            .getBean(QualifiedStateAndLockConfiguration.Client.class);
                    assertThat(client.ordersState())
                            .isSameAs(context.getBean("hostsyncRegion-orders", SharedRegion.class).state());
                    assertThat(client.pricesLock().regionName()).isEqualTo("prices");
                });
    }

    @Test
    void whenSeveralRegionsAreConfiguredThenTheDefaultRegionsStateAndLockAreInjectedWithoutQualifier() {
        String orders = uniqueName("orders");
        String prices = uniqueName("prices");
        inTemporaryDirectory()
                .withPropertyValues("hostsync.regions." + orders + ".size=1MB",
                        "hostsync.regions." + prices + ".default=true")
                .run((context) -> {
                    assertThat(context.getBean(RWLock.class).regionName()).isEqualTo(prices);
                    assertThat(context.getBean(SharedState.class))
                            .isSameAs(context
                                    .getBean(HostsyncAutoConfiguration.regionBeanName(prices), SharedRegion.class)
                                    .state());
                });
    }

    @Test
    void whenUserDefinesASharedStateThenOnlyTheStateBeansBackOff() {
        inTemporaryDirectory().withBean("userState", SharedState.class,
                () -> SharedRegion.open(RegionOptions.builder(uniqueName("user")).directory(this.directory).build())
                        .state())
                .run((context) -> assertThat(context).hasSingleBean(SharedState.class)
                        .hasBean("userState")
                        .doesNotHaveBean("hostsyncState-default")
                        .hasBean("hostsyncRegion-default")
                        .hasBean("hostsyncLock-default"));
    }

    @Test
    void whenUserDefinesAnRWLockThenOnlyTheLockBeansBackOff() {
        inTemporaryDirectory().withBean("userLock", RWLock.class,
                () -> SharedRegion.open(RegionOptions.builder(uniqueName("user")).directory(this.directory).build())
                        .lock())
                .run((context) -> assertThat(context).hasSingleBean(RWLock.class)
                        .hasBean("userLock")
                        .doesNotHaveBean("hostsyncLock-default")
                        .hasBean("hostsyncState-default"));
    }

    @Test
    void whenUserDefinesASharedRegionThenStateAndLockBeansBackOffToo() {
        inTemporaryDirectory().withUserConfiguration(UserRegionConfiguration.class)
                .withPropertyValues("test.directory=" + this.directory)
                .run((context) -> assertThat(context).doesNotHaveBean(SharedState.class).doesNotHaveBean(RWLock.class));
    }

    @Test
    void whenLocksAreConfiguredThenTheyAreCreatedInTheRegionAtStartup() {
        String orders = uniqueName("orders");
        inTemporaryDirectory()
                .withPropertyValues("hostsync.regions." + orders + ".locks=cache-rebuild,price-table")
                .run((context) -> assertThat(context.getBean(SharedRegion.class).lockNames()).containsExactly("default",
                        "cache-rebuild", "price-table"));
    }

    @Test
    void whenALockNameIsNotAllowedThenStartupFailsNamingTheListEntry() {
        String orders = uniqueName("orders");
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + orders + ".locks=cache,has space")
                .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> {
                    InvalidConfigurationPropertyValueException invalid = invalidProperty(failure);
                    assertThat(invalid.getName()).isEqualTo("hostsync.regions." + orders + ".locks[1]");
                    assertThat(invalid.getReason()).contains("[A-Za-z0-9._-]");
                }));
    }

    @Test
    void whenMoreLocksAreListedThanMaxLocksAllowsThenStartupFailsNamingBothProperties() {
        String orders = uniqueName("orders");
        inTemporaryDirectory()
                .withPropertyValues("hostsync.regions." + orders + ".max-locks=2",
                        "hostsync.regions." + orders + ".locks=a,b")
                .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> {
                    InvalidConfigurationPropertyValueException invalid = invalidProperty(failure);
                    assertThat(invalid.getName()).isEqualTo("hostsync.regions." + orders + ".locks");
                    assertThat(invalid.getReason()).contains("hostsync.regions." + orders + ".max-locks", "at least 3");
                }));
    }

    @Test
    void whenTheRegionHasNoRoomLeftForTheListedLocksThenStartupFailsNamingMaxLocks() {
        String orders = uniqueName("orders");
        RegionOptions options = RegionOptions.builder(orders).directory(this.directory).maxLocks(2).build();
        try (SharedRegion other = SharedRegion.open(options)) {
            other.lock("taken-by-another-application");
            inTemporaryDirectory()
                    .withPropertyValues("hostsync.regions." + orders + ".max-locks=2",
                            "hostsync.regions." + orders + ".locks=mine")
                    .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> {
                        InvalidConfigurationPropertyValueException invalid = invalidProperty(failure);
                        assertThat(invalid.getName()).isEqualTo("hostsync.regions." + orders + ".locks");
                        assertThat(invalid.getReason()).contains("taken-by-another-application",
                                "hostsync.regions." + orders + ".max-locks");
                    }));
        }
    }

    @Test
    void whenMaxLocksAndMaxEntriesAreSetThenTheRegionIsCreatedWithThem() {
        String orders = uniqueName("orders");
        inTemporaryDirectory()
                .withPropertyValues("hostsync.regions." + orders + ".max-locks=40",
                        "hostsync.regions." + orders + ".max-entries=300")
                .run((context) -> {
                    SharedRegion region = context.getBean(SharedRegion.class);
                    assertThat(region.options().maxLocks()).isEqualTo(40);
                    assertThat(region.header().lockCapacity()).isEqualTo(40);
                    assertThat(region.header().entryCapacity()).isEqualTo(300);
                });
    }

    @Test
    void whenMaxLocksIsOutOfRangeThenStartupFailsNamingTheProperty() {
        String orders = uniqueName("orders");
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + orders + ".max-locks=0")
                .run((context) -> assertThat(context).hasFailed()
                        .getFailure()
                        .satisfies((failure) -> assertThat(invalidProperty(failure).getName())
                                .isEqualTo("hostsync.regions." + orders + ".max-locks")));
    }

    @Test
    void whenMaxEntriesIsOutOfRangeThenStartupFailsNamingTheProperty() {
        String orders = uniqueName("orders");
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + orders + ".max-entries=0")
                .run((context) -> assertThat(context).hasFailed()
                        .getFailure()
                        .satisfies((failure) -> assertThat(invalidProperty(failure).getName())
                                .isEqualTo("hostsync.regions." + orders + ".max-entries")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "robust", "ROBUST", "Robust" })
    void whenBackendIsRobustInAnyCaseThenTheRegionOpensWithIt(String spelling) {
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + uniqueName("orders") + ".backend=" + spelling)
                .run((context) -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SharedRegion.class);
                    assertThat(context.getBean(RWLock.class).backend()).isEqualTo(Backend.ROBUST);
                });
    }

    @Test
    void whenBackendIsUnknownThenBindingFailsNamingThePropertyAndTheValue() {
        String orders = uniqueName("orders");
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + orders + ".backend=redis")
                .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> {
                    BindException binding = causeOfType(failure, BindException.class);
                    assertThat(binding.getProperty().getName()).hasToString("hostsync.regions." + orders + ".backend");
                    assertThat(binding.getProperty().getValue()).isEqualTo("redis");
                    assertThat(binding.getTarget().getType().resolve()).isEqualTo(Backend.class);
                }));
    }

    @Test
    void whenBackendIsPosixOrFileThenTheRegionsLocksUseIt() {
        for (Backend backend : List.of(Backend.POSIX, Backend.FILE)) {
            inTemporaryDirectory()
                    .withPropertyValues("hostsync.regions." + uniqueName("orders") + ".backend=" + backend.configName())
                    .run((context) -> {
                        assertThat(context).hasNotFailed();
                        RWLock lock = context.getBean(RWLock.class);
                        assertThat(lock.backend()).isEqualTo(backend);
                        assertThat(lock.writeLock().tryLock()).isTrue();
                        lock.writeLock().unlock();
                    });
        }
    }

    @Test
    void whenNoBackendIsConfiguredThenThePlatformDefaultIsUsed() {
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + uniqueName("orders") + ".size=1MB")
                .run((context) -> assertThat(context.getBean(RWLock.class).backend())
                        .isEqualTo(Backend.platformDefault()));
    }

    @Test
    void whenAcquireTimeoutIsNegativeThenStartupFailsNamingTheProperty() {
        String orders = uniqueName("orders");
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + orders + ".acquire-timeout=-1s")
                .run((context) -> assertThat(context).hasFailed()
                        .getFailure()
                        .satisfies((failure) -> assertThat(invalidProperty(failure).getName())
                                .isEqualTo("hostsync.regions." + orders + ".acquire-timeout")));
    }

    @Test
    void whenSizeIsNotADataSizeThenStartupFailsNamingTheProperty() {
        String orders = uniqueName("orders");
        inTemporaryDirectory().withPropertyValues("hostsync.regions." + orders + ".size=lots")
                .run((context) -> assertThat(context).hasFailed().getFailure().satisfies((failure) -> {
                    assertThat(causeOfType(failure, BindException.class).getProperty().getName())
                            .hasToString("hostsync.regions." + orders + ".size");
                }));
    }

    @Test
    void whenTheDirectoryCannotBeCreatedThenStartupFailsWithARegionAccessException() throws Exception {
        Path file = Files.createFile(this.directory.resolve("not-a-directory"));
        this.contextRunner.withPropertyValues("hostsync.directory=" + file.resolve("regions"))
                .run((context) -> assertThat(context).hasFailed()
                        .getFailure()
                        .satisfies(
                                (failure) -> assertThat(causeOfType(failure, RegionAccessException.class).getMessage())
                                        .contains(file.resolve("regions").toString())));
    }

    @Test
    void propertiesHaveTheirDocumentedDefaults() {
        HostsyncProperties.Region region = new HostsyncProperties.Region();
        assertThat(region.getBackend()).as("unset: the platform default").isNull();
        assertThat(region.getAcquireTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(region.getMaxLocks()).isEqualTo(16);
        assertThat(region.getMaxEntries()).isEqualTo(128);
        assertThat(region.getLocks()).isEmpty();
        HostsyncProperties.Annotations annotations = new HostsyncProperties().getAnnotations();
        assertThat(annotations.isEnabled()).isTrue();
        assertThat(annotations.getLockRegistry()).isNull();
        assertThat(annotations.getOrder()).isEqualTo(Integer.MAX_VALUE - 100);
    }

    @Test
    void regionPropertiesAreBoundFromRelaxedNames() {
        String orders = uniqueName("orders");
        inTemporaryDirectory()
                .withPropertyValues("hostsync.regions." + orders + ".acquireTimeout=5s",
                        "hostsync.regions." + orders + ".locks[0]=a",
                        "hostsync.annotations.lock-registry=redisLockRegistry")
                .run((context) -> {
                    HostsyncProperties properties = context.getBean(HostsyncProperties.class);
                    assertThat(properties.getRegions().get(orders).getAcquireTimeout())
                            .isEqualTo(Duration.ofSeconds(5));
                    assertThat(properties.getRegions().get(orders).getLocks()).isEqualTo(List.of("a"));
                    assertThat(properties.getAnnotations().getLockRegistry()).isEqualTo("redisLockRegistry");
                });
    }

    private ApplicationContextRunner inTemporaryDirectory() {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory);
    }

    private static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
            if (type.isInstance(candidate)) {
                return type.cast(candidate);
            }
        }
        throw new AssertionError("No " + type.getName() + " in the causes of " + failure, failure);
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
    static class QualifiedStateAndLockConfiguration {

        @Bean
        Client client(@Qualifier("orders") SharedState ordersState, @Qualifier("prices") RWLock pricesLock) {
            return new Client(ordersState, pricesLock);
        }

        record Client(SharedState ordersState, RWLock pricesLock) {
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

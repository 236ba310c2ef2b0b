package io.hostsync.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import io.hostsync.Backend;
import io.hostsync.BackendRefusedException;
import io.hostsync.HostsyncException;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionFormatException;
import io.hostsync.RegionFullException;
import io.hostsync.RegionLostException;
import io.hostsync.RegionMismatchException;
import io.hostsync.RegionOptions;
import io.hostsync.RegionSetting;
import io.hostsync.RegionSpaceException;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedState;
import io.hostsync.autoconfigure.guard.InvalidGuardException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link HostsyncFailureAnalyzer}, and for what a failed startup reports.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostsyncFailureAnalyzerTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HostsyncAutoConfiguration.class));

    private final HostsyncFailureAnalyzer analyzer = new HostsyncFailureAnalyzer();

    @TempDir
    Path directory;

    @Test
    void analyzerIsRegisteredInSpringFactories() {
        // Spring Boot's own analyzers need constructor arguments; only ours matters here.
        FailureHandler ignoreOtherAnalyzers = FailureHandler.handleMessage((message, failure) -> {
        });
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, null, ignoreOtherAnalyzers))
                .hasAtLeastOneElementOfType(HostsyncFailureAnalyzer.class);
    }

    @ParameterizedTest(name = "{0}: {1} then {2}")
    @CsvSource({ "size, 1MB, 2MB, SIZE, 1048576, 1048576B", "max-participants, 8, 16, MAX_PARTICIPANTS, 8, 8",
            "max-entries, 10, 20, MAX_ENTRIES, 10, 10", "max-locks, 20, 30, MAX_LOCKS, 20, 20",
            "backend, file, robust, BACKEND, FILE, file" })
    void whenARegionExistsWithAnotherSettingThenTheActionSetsTheValueItWasCreatedWith(String setting, String created,
            String asked, RegionSetting expectedSetting, String existingValue, String propertyValue) {
        ApplicationContextRunner runner = this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory);
        runner.withPropertyValues("hostsync.regions.mismatched." + setting + "=" + created).run((first) -> {
            assertThat(first).hasNotFailed();
            runner.withPropertyValues("hostsync.regions.mismatched." + setting + "=" + asked).run((second) -> {
                assertThat(second).hasFailed();
                FailureAnalysis analysis = this.analyzer.analyze(second.getStartupFailure());
                assertThat(analysis.getDescription()).isEqualTo(analysis.getCause().getMessage());
                assertThat(analysis.getAction())
                        .startsWith(
                                "Set hostsync.regions.mismatched." + setting + " to " + propertyValue + ", the value");
                RegionMismatchException mismatch = (RegionMismatchException) analysis.getCause();
                assertThat(mismatch.setting()).isEqualTo(expectedSetting);
                assertThat(mismatch.existingValue()).hasToString(existingValue);
                assertThat(mismatch.requestedValue()).isNotEqualTo(mismatch.existingValue());
                assertThat(mismatch.regionName()).contains("mismatched");
                assertThat(mismatch.file()).contains(this.directory.resolve("hostsync-mismatched"));
            });
        });
    }

    @Test
    void whenTheRegionFileHasLooserPermissionsThanConfiguredThenTheActionNamesThePermissionProperties() {
        ApplicationContextRunner runner = this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory,
                "hostsync.regions.orders.size=1MB");
        runner.run((first) -> assertThat(first).hasNotFailed());
        Path file = this.directory.resolve("hostsync-orders");
        setMode(file, "rw-rw-rw-");
        runner.run((context) -> {
            FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
            RegionAccessException access = (RegionAccessException) analysis.getCause();
            assertThat(access.refused()).isEqualTo(RegionAccessException.Refused.FILE);
            assertThat(access.file()).contains(file);
            assertThat(analysis.getAction()).startsWith("Check the owner and permissions of the region file")
                    .contains("hostsync.regions.orders.file-mode", "hostsync.regions.orders.allow-looser-permissions");
        });
    }

    @Test
    void whenTheRegionDirectoryMayBeWrittenByOthersThenTheActionNamesTheDirectoryProperties() throws Exception {
        Path shared = Files.createDirectory(this.directory.resolve("shared"));
        setMode(shared, "rwxrwxrwx");
        this.contextRunner.withPropertyValues("hostsync.regions.orders.directory=" + shared).run((context) -> {
            FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
            RegionAccessException access = (RegionAccessException) analysis.getCause();
            assertThat(access.refused()).isEqualTo(RegionAccessException.Refused.DIRECTORY);
            assertThat(access.file()).contains(shared);
            assertThat(analysis.getAction())
                    .startsWith("Point hostsync.regions.orders.directory (or hostsync.directory) at a directory");
        });
    }

    @Test
    void whenTheRegionFileIsNotARegionThenTheActionSaysToMoveOrDeleteIt() throws Exception {
        Path file = this.directory.resolve("hostsync-orders");
        Files.write(file, new byte[8192]);
        Files.write(file, "NOT A REGION".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        setMode(file, "rw-------");
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory, "hostsync.regions.orders.size=1MB")
                .run((context) -> {
                    FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
                    assertThat(analysis.getCause()).isInstanceOf(RegionFormatException.class);
                    assertThat(((RegionFormatException) analysis.getCause()).file()).contains(file);
                    assertThat(analysis.getAction())
                            .startsWith("The file is not a region this version of hostsync can open.")
                            .contains("hostsync.regions.orders.directory");
                });
    }

    @Test
    void whenABeanCreatesMoreEntriesThanTheRegionHoldsThenTheActionNamesMaxEntriesAndItsValue() {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory, "hostsync.regions.small.max-entries=1")
                .withUserConfiguration(TwoCounters.class)
                .run((context) -> {
                    FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
                    RegionFullException full = (RegionFullException) analysis.getCause();
                    assertThat(full.setting()).isEqualTo(RegionSetting.MAX_ENTRIES);
                    assertThat(full.capacity()).isEqualTo(1);
                    assertThat(full.regionName()).contains("small");
                    assertThat(analysis.getAction())
                            .isEqualTo("Use fewer entry names, or give the region more directory"
                                    + " entries: hostsync.regions.small.max-entries (1 in the existing region) takes effect when the"
                                    + " region is created, so stop every process that uses it and delete its file first.");
                });
    }

    @Test
    void whenThisJvmLostTheRegionThenStartingAgainFailsAndTheActionSaysToRestart() throws Exception {
        SharedRegion lostHere = SharedRegion.open(RegionOptions.builder("orders").directory(this.directory).build());
        try {
            Files.delete(lostHere.file()); // what 'rm' of a live region does
            await().atMost(Duration.ofSeconds(5)).until(() -> lostHere.failure().isPresent());
            this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory).withPropertyValues(
                    "hostsync.regions.orders.size=" + lostHere.size() + "B").run((context) -> {
                        FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
                        RegionLostException lost = (RegionLostException) analysis.getCause();
                        assertThat(lost.regionName()).contains("orders");
                        assertThat(lost.file()).contains(this.directory.resolve("hostsync-orders"));
                        assertThat(analysis.getAction()).startsWith("Restart this application:");
                    });
        } finally {
            lostHere.close();
        }
    }

    @Test
    void whenEveryParticipantSlotIsTakenThenTheActionNamesMaxParticipantsAndItsValue() {
        FailureAnalysis analysis = analyzeRegionBeanFailure("orders", new RegionFullException("full", "orders",
                Path.of("/dev/shm/hostsync-orders"), RegionSetting.MAX_PARTICIPANTS, 4));
        assertThat(analysis.getAction())
                .startsWith("Stop a process that uses the region, or give the region more slots:"
                        + " hostsync.regions.orders.max-participants (4 in the existing region)");
    }

    @Test
    void whenASharedMapIsFullThenTheActionNamesNoRegionSetting() {
        // setting() is null for a map's own capacity, which no property sets.
        FailureAnalysis analysis = analyzeRegionBeanFailure("orders", new RegionFullException("full", "orders",
                Path.of("/dev/shm/hostsync-orders"), null, 1000));
        assertThat(analysis.getAction()).startsWith("Check the settings of the region under hostsync.regions.orders");
    }

    @Test
    void whenTheBackendIsRefusedThenTheActionNamesTheBackendPropertyAndTheCrashSafeBackends() {
        FailureAnalysis analysis = analyzeRegionBeanFailure("orders", new BackendRefusedException("refused", "orders",
                Path.of("/dev/shm/hostsync-orders"), Backend.POSIX));
        assertThat(analysis.getAction()).startsWith("Set hostsync.regions.orders.backend to robust")
                .contains(" or file");
    }

    @Test
    void whenAccessIsRefusedThenTheActionNamesThePermissionProperties() {
        FailureAnalysis analysis = analyzeRegionBeanFailure("orders",
                new RegionAccessException("owned by someone else"));
        assertThat(analysis.getDescription()).isEqualTo("owned by someone else");
        assertThat(analysis.getAction()).contains("hostsync.regions.orders.file-mode",
                "hostsync.regions.orders.allow-foreign-owner", "hostsync.regions.orders.allow-looser-permissions",
                "hostsync.regions.orders.directory", "hostsync.directory");
    }

    @Test
    void whenSpaceRunsOutThenTheActionNamesTheSizeAndDirectoryProperties() {
        FailureAnalysis analysis = analyzeRegionBeanFailure("orders", new RegionSpaceException("/dev/shm is full"));
        assertThat(analysis.getAction()).contains("hostsync.regions.orders.size", "hostsync.regions.orders.directory");
    }

    @Test
    void whenTheFailedRegionWasNotOpenedFromPropertiesThenTheActionUsesAPlaceholderName() {
        FailureAnalysis analysis = this.analyzer
                .analyze(new BeanCreationException("userRegion", "failed", new HostsyncException("broken")));
        assertThat(analysis.getDescription()).isEqualTo("broken");
        assertThat(analysis.getAction()).contains("hostsync.regions.<name>");
    }

    @Test
    void whenTheFailureIsNotHostsyncsThenThereIsNoAnalysis() {
        assertThat(this.analyzer.analyze(new IllegalStateException("unrelated"))).isNull();
    }

    @Test
    void whenTheMismatchNamesNoSettingThenTheActionNamesEverySettingThatMustMatch() {
        FailureAnalysis analysis = analyzeRegionBeanFailure("orders",
                new RegionMismatchException("differs", "orders", null, null, null, null));
        assertThat(analysis.getAction()).contains("hostsync.regions.orders.size",
                "hostsync.regions.orders.max-participants",
                "hostsync.regions.orders.max-locks", "hostsync.regions.orders.max-entries");
    }

    @Test
    void whenTheRegionDirectoryCannotBeCreatedThenTheActionNamesTheDirectoryProperties() throws Exception {
        Path file = Files.createFile(this.directory.resolve("a-file"));
        this.contextRunner.withPropertyValues("hostsync.directory=" + file.resolve("regions")).run((context) -> {
            FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
            assertThat(analysis.getCause()).isInstanceOf(RegionAccessException.class);
            assertThat(analysis.getDescription()).contains(file.resolve("regions").toString());
            assertThat(analysis.getAction()).contains("hostsync.regions.default.directory (or hostsync.directory)",
                    "can create and write");
        });
    }

    @Test
    void whenAGuardedMethodIsRefusedThenTheActionPointsAtTheAnnotation() {
        FailureAnalysis analysis = this.analyzer
                .analyze(new BeanCreationException("prices", "failed",
                        new InvalidGuardException("Prices.rebuild() is bad")));
        assertThat(analysis.getDescription()).isEqualTo("Prices.rebuild() is bad");
        assertThat(analysis.getAction()).contains("@ReadGuarded or @WriteGuarded");
    }

    @Test
    void whenTheBackendIsUnknownThenTheStartupReportNamesThePropertyAndTheAllowedValues(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("hostsync.regions.orders.backend=shm"));
        // Spring Boot's own analysis of a failed enum conversion; any case of the names binds.
        assertThat(output).contains("APPLICATION FAILED TO START",
                "Failed to bind properties under 'hostsync.regions.orders.backend' to io.hostsync.Backend",
                "Value: \"shm\"", "The following values are valid:", "FILE", "POSIX", "ROBUST");
    }

    @Test
    void whenTheSizeIsTooSmallThenTheStartupReportNamesThePropertyAndTheRange(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("hostsync.regions.orders.size=4KB"));
        assertThat(output).contains("APPLICATION FAILED TO START", "hostsync.regions.orders.size",
                "give a size in that range");
    }

    @Test
    void whenTheRegionExistsWithAnotherSizeThenTheStartupReportNamesTheSizeTheOtherApplicationUses(
            CapturedOutput output) {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory, "hostsync.regions.shared.size=2MB")
                .run((other) -> {
                    assertThat(other).hasNotFailed();
                    assertThatException().isThrownBy(() -> start("hostsync.regions.shared.size=1MB"));
                });
        assertThat(output).contains("APPLICATION FAILED TO START", "exists with size 2097152 bytes",
                "Set hostsync.regions.shared.size to 2097152B");
    }

    private void start(String property) {
        new SpringApplicationBuilder(EmptyApplication.class).web(WebApplicationType.NONE)
                .properties("hostsync.directory=" + this.directory, property, "spring.main.banner-mode=off")
                .run()
                .close();
    }

    private FailureAnalysis analyzeRegionBeanFailure(String regionName, HostsyncException cause) {
        return this.analyzer.analyze(new BeanCreationException(HostsyncAutoConfiguration.regionBeanName(regionName),
                "Failed to instantiate", cause));
    }

    private static void setMode(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(HostsyncAutoConfiguration.class)
    static class EmptyApplication {

    }

    /** Creates two entries, one more than a region with {@code max-entries=1} holds. */
    @Configuration(proxyBeanMethods = false)
    static class TwoCounters {

        @Bean
        SharedCounter first(SharedState state) {
            return state.counter("first");
        }

        @Bean
        SharedCounter second(SharedState state) {
            return state.counter("second");
        }

    }
}

package io.hostsync.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;

import io.hostsync.HostsyncException;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionMismatchException;
import io.hostsync.RegionSpaceException;
import io.hostsync.autoconfigure.guard.InvalidGuardException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

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
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

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
            .load(FailureAnalyzer.class, null, ignoreOtherAnalyzers)).hasAtLeastOneElementOfType(HostsyncFailureAnalyzer.class);
    }

    @Test
    void whenARegionExistsWithAnotherSizeThenStartupFailsAndTheAnalysisNamesTheSizeProperty() {
        ApplicationContextRunner runner = this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory);
        runner.withPropertyValues("hostsync.regions.mismatched.size=1MB").run((first) -> {
            assertThat(first).hasNotFailed();
            runner.withPropertyValues("hostsync.regions.mismatched.size=2MB").run((second) -> {
                assertThat(second).hasFailed();
                FailureAnalysis analysis = this.analyzer.analyze(second.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getCause()).isInstanceOf(RegionMismatchException.class);
                assertThat(analysis.getDescription()).isEqualTo(analysis.getCause().getMessage());
                assertThat(analysis.getAction()).contains("hostsync.regions.mismatched.size to 1048576B");
            });
        });
    }

    @Test
    void whenAccessIsRefusedThenTheActionNamesThePermissionProperties() {
        FailureAnalysis analysis = analyzeRegionBeanFailure("orders", new RegionAccessException("owned by someone else"));
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
    void whenARegionExistsWithAnotherMaxLocksThenTheActionNamesMaxLocksAndTheExistingValue() {
        ApplicationContextRunner runner = this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory);
        runner.withPropertyValues("hostsync.regions.locks-mismatched.max-locks=20").run((first) -> {
            assertThat(first).hasNotFailed();
            runner.withPropertyValues("hostsync.regions.locks-mismatched.max-locks=30").run((second) -> {
                FailureAnalysis analysis = this.analyzer.analyze(second.getStartupFailure());
                assertThat(analysis.getAction()).contains("hostsync.regions.locks-mismatched.max-locks to 20,");
            });
        });
    }

    @Test
    void whenTheMismatchMessageIsNotRecognizedThenTheActionNamesEverySettingThatMustMatch() {
        FailureAnalysis analysis = analyzeRegionBeanFailure("orders", new RegionMismatchException("differs"));
        assertThat(analysis.getAction()).contains("hostsync.regions.orders.size", "hostsync.regions.orders.max-participants",
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
            .analyze(new BeanCreationException("prices", "failed", new InvalidGuardException("Prices.rebuild() is bad")));
        assertThat(analysis.getDescription()).isEqualTo("Prices.rebuild() is bad");
        assertThat(analysis.getAction()).contains("@ReadGuarded or @WriteGuarded");
    }

    @Test
    void whenTheBackendIsUnknownThenTheStartupReportNamesThePropertyAndTheAllowedValues(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("hostsync.regions.orders.backend=shm"));
        assertThat(output).contains("APPLICATION FAILED TO START", "hostsync.regions.orders.backend", "'shm'",
                "The allowed values are: robust");
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
        this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory, "hostsync.regions.shared.size=2MB")
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

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(HostsyncAutoConfiguration.class)
    static class EmptyApplication {

    }
}

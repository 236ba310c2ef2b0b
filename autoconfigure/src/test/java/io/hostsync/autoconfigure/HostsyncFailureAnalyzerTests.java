package io.hostsync.autoconfigure;

import java.nio.file.Path;

import io.hostsync.HostsyncException;
import io.hostsync.RegionAccessException;
import io.hostsync.RegionMismatchException;
import io.hostsync.RegionSpaceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HostsyncFailureAnalyzer}.
 */
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
                assertThat(analysis.getAction()).contains("hostsync.regions.mismatched.size");
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

    private FailureAnalysis analyzeRegionBeanFailure(String regionName, HostsyncException cause) {
        return this.analyzer.analyze(new BeanCreationException(HostsyncAutoConfiguration.regionBeanName(regionName),
                "Failed to instantiate", cause));
    }
}

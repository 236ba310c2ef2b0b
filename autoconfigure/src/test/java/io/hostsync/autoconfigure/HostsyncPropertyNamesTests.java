package io.hostsync.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.hostsync.SharedRegion;
import io.hostsync.autoconfigure.InvalidPropertyNamesException.InvalidPropertyName;
import io.hostsync.autoconfigure.InvalidPropertyNamesException.Problem;
import io.hostsync.autoconfigure.guard.HostsyncGuardAutoConfiguration;
import io.hostsync.docs.Documentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that hostsync properties Spring Boot would ignore or misread fail startup, each named
 * with the property to write instead: a region name with a dot without brackets, a region name
 * with characters that property names drop, a misspelled setting.
 */
class HostsyncPropertyNamesTests {

    private final String region = "names-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncGuardAutoConfiguration.class));

    private final InvalidPropertyNamesFailureAnalyzer analyzer = new InvalidPropertyNamesFailureAnalyzer();

    @Test
    void regionNameWithADotInYamlFailsStartupNamingTheBracketedProperty() {
        withYaml("""
                hostsync:
                  regions:
                    %s.v2:
                      size: 2MB
                """.formatted(this.region)).run((context) -> {
            assertThat(context).hasFailed();
            InvalidPropertyName name = single(context.getStartupFailure());
            assertThat(name.name()).isEqualTo("hostsync.regions." + this.region + ".v2.size");
            assertThat(name.problem()).isEqualTo(Problem.REGION_NAME_WITH_DOT);
            assertThat(name.replacement()).isEqualTo("hostsync.regions.[" + this.region + ".v2].size");
            assertThat(String.valueOf(name.origin())).as("the line in the YAML file").contains("4:13");
            FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("hostsync.regions." + this.region + ".v2.size",
                    "a region name with a dot must be written in brackets");
            assertThat(analysis.getAction()).contains(
                    "Write 'hostsync.regions.[" + this.region + ".v2].size' instead of",
                    "in YAML the key \"[orders.v2]\": (quoted)");
        });
    }

    @Test
    void regionNameWithADotInPropertiesFailsStartup() {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.region + ".v2.max-locks=4")
                .run((context) -> {
                    assertThat(context).hasFailed();
                    assertThat(single(context.getStartupFailure()).replacement())
                            .isEqualTo("hostsync.regions.[" + this.region + ".v2].max-locks");
                });
    }

    @Test
    void regionNameWithCharactersThatPropertyNamesDropFailsStartupInsteadOfConfiguringAnotherRegion() {
        withYaml("""
                hostsync:
                  regions:
                    "../%s":
                      size: 2MB
                """.formatted(this.region)).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(this.directory.resolve("hostsync-" + this.region)).as("region opened as another name")
                    .doesNotExist();
            InvalidPropertyName name = single(context.getStartupFailure());
            assertThat(name.name()).isEqualTo("hostsync.regions.../" + this.region + ".size");
            assertThat(name.problem()).isEqualTo(Problem.CHARACTERS_DROPPED);
            assertThat(name.replacement()).isEqualTo("hostsync.regions.[../" + this.region + "].size");
            assertThat(this.analyzer.analyze(context.getStartupFailure()).getDescription())
                    .contains("has characters that Spring Boot drops from a property name outside brackets");
        });
    }

    @Test
    void misspelledRegionSettingFailsStartupNamingTheSettingMeant() {
        withYaml("""
                hostsync:
                  regions:
                    %s:
                      size: 2MB
                      max-lock: 4
                """.formatted(this.region)).run((context) -> {
            assertThat(context).hasFailed();
            InvalidPropertyName name = single(context.getStartupFailure());
            assertThat(name.name()).isEqualTo("hostsync.regions." + this.region + ".max-lock");
            assertThat(name.problem()).isEqualTo(Problem.UNKNOWN_REGION_SETTING);
            assertThat(name.replacement()).isEqualTo("hostsync.regions." + this.region + ".max-locks");
            assertThat(this.analyzer.analyze(context.getStartupFailure()).getAction())
                    .contains("Did you mean 'hostsync.regions." + this.region + ".max-locks'?");
        });
    }

    @Test
    void misspelledRegionSettingOfAnOtherwiseUnconfiguredRegionFailsStartup() {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.region + ".max-lock=4")
                .run((context) -> assertThat(single(context.getStartupFailure()).problem())
                        .isEqualTo(Problem.UNKNOWN_REGION_SETTING));
    }

    @Test
    void misspelledPropertyOutsideTheRegionsFailsStartupNamingThePropertyMeant() {
        this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory, "hostsync.metric.enabled=false")
                .run((context) -> {
                    InvalidPropertyName name = single(context.getStartupFailure());
                    assertThat(name.problem()).isEqualTo(Problem.UNKNOWN_PROPERTY);
                    assertThat(name.replacement()).isEqualTo("hostsync.metrics.enabled");
                });
    }

    @Test
    void misspelledGroupFailsStartup() {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory, "hostsync.regoins.orders.size=2MB")
                .run((context) -> assertThat(single(context.getStartupFailure()).problem())
                        .isEqualTo(Problem.UNKNOWN_PROPERTY));
    }

    @Test
    void switchesOfTheJvmUnderHostsyncAreNotSpringProperties() {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory, "hostsync.portable=false",
                        "hostsync.file.channel-locks=false", "hostsync.bench.command=scripts/bench.sh")
                .run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SharedRegion.class));
    }

    @Test
    void everyPropertyThatWouldBeIgnoredIsNamedAtOnce() {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory, "hostsync.regions.a.b.size=2MB",
                        "hostsync.regions.c.sise=2MB")
                .run((context) -> assertThat(invalidNames(context.getStartupFailure()).getNames())
                        .extracting(InvalidPropertyName::name)
                        .containsExactlyInAnyOrder("hostsync.regions.a.b.size", "hostsync.regions.c.sise"));
    }

    @Test
    void regionNameWithADotInBracketsOpensTheRegion() {
        withYaml("""
                hostsync:
                  regions:
                    "[%s.v2]":
                      size: 2MB
                      max-locks: 4
                """.formatted(this.region)).run((context) -> {
            assertThat(context).hasNotFailed();
            SharedRegion region = context.getBean(HostsyncAutoConfiguration.regionBeanName(this.region + ".v2"),
                    SharedRegion.class);
            assertThat(region.name()).isEqualTo(this.region + ".v2");
            assertThat(region.size()).isEqualTo(DataSize.ofMegabytes(2).toBytes());
        });
    }

    @Test
    void anInvalidValueOfARegionWithADotIsReportedWithTheBracketedPropertyName() {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions.[" + this.region + ".v2].max-locks=0")
                .run((context) -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("hostsync.regions.[" + this.region + ".v2].max-locks"));
    }

    @Test
    void relaxedNamesOfSettingsAreAccepted() {
        this.contextRunner
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.region + ".maxLocks=4",
                        "hostsync.regions." + this.region + ".max_entries=64",
                        "hostsync.regions." + this.region + ".locks[0]=a")
                .run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SharedRegion.class));
    }

    @Test
    void namesThatPropertyNamesWouldChangeAreRecognised() {
        assertThat(HostsyncPropertyNames.dropsCharacters("hostsync.regions.../x.size")).isTrue();
        assertThat(HostsyncPropertyNames.dropsCharacters("hostsync.regions.a b.size")).isTrue();
        assertThat(HostsyncPropertyNames.dropsCharacters("hostsync.regions.a.")).isTrue();
        assertThat(HostsyncPropertyNames.dropsCharacters("hostsync.regions.[a/b].size")).isFalse();
        assertThat(HostsyncPropertyNames.dropsCharacters("hostsync.regions[a.b].size")).isFalse();
        assertThat(HostsyncPropertyNames.dropsCharacters("hostsync.regions.Orders_2.max-locks")).isFalse();
        assertThat(HostsyncPropertyNames.dropsCharacters("hostsync.regions.a.locks[0]")).isFalse();
    }

    @Test
    void analyzerIsRegisteredInSpringFactories() {
        FailureHandler ignoreOtherAnalyzers = FailureHandler.handleMessage((message, failure) -> {
        });
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, null, ignoreOtherAnalyzers))
                .hasAtLeastOneElementOfType(InvalidPropertyNamesFailureAnalyzer.class);
    }

    @Test
    void theTroubleshootingPageExplainsEachProblemAndTheFix() {
        String page = Documentation.read(Documentation.root().resolve("docs/troubleshooting.md")).replaceAll("\\s+",
                " ");
        List<String> expected = new ArrayList<>(List.of("`InvalidPropertyNamesException`",
                "Did you mean '<property>'? Correct '<property>'.", "Write '<property>' instead of '<property>'."));
        for (Problem problem : Problem.values()) {
            // The page shows where the property was set, as the message does when it knows.
            expected.add(new InvalidPropertyName("<property>", null, problem, null).describe()
                    .replace("'<property>'", "'<property>' (<origin>)"));
        }
        FailureAnalysis analysis = this.analyzer.analyze(new InvalidPropertyNamesException(
                List.of(new InvalidPropertyName("<property>", null, Problem.UNKNOWN_PROPERTY, null))));
        expected.add(analysis.getDescription().lines().findFirst().orElseThrow());
        analysis.getAction().lines().filter((line) -> !line.isBlank()).forEach(expected::add);
        List<String> missing = expected.stream().filter((text) -> !page.contains(text.replaceAll("\\s+", " ").trim()))
                .toList();
        assertThat(missing).as("missing from docs/troubleshooting.md").isEmpty();
    }

    private ApplicationContextRunner withYaml(String yaml) {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory)
                .withInitializer((context) -> {
                    try {
                        context.getEnvironment().getPropertySources().addFirst(new YamlPropertySourceLoader()
                                .load("application.yml",
                                        new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), "application.yml"))
                                .get(0));
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
    }

    private static InvalidPropertyName single(Throwable failure) {
        List<InvalidPropertyName> names = invalidNames(failure).getNames();
        assertThat(names).hasSize(1);
        return names.get(0);
    }

    private static InvalidPropertyNamesException invalidNames(Throwable failure) {
        for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
            if (candidate instanceof InvalidPropertyNamesException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("Startup did not fail with an InvalidPropertyNamesException", failure);
    }
}

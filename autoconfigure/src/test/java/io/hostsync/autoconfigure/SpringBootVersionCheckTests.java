package io.hostsync.autoconfigure;

import java.nio.file.Path;

import io.hostsync.docs.Documentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SpringBootVersionCheck}: an application on Spring Boot 3 is refused at startup
 * with a message that says what to do; Spring Boot 4 and newer start.
 */
class SpringBootVersionCheckTests {

    @TempDir
    Path directory;

    @Test
    void springBootThreeIsRefusedNamingTheVersionAndTheFix() {
        assertThatExceptionOfType(UnsupportedSpringBootVersionException.class)
                .isThrownBy(() -> SpringBootVersionCheck.check("3.5.7"))
                .satisfies((failure) -> assertThat(failure.getVersion()).isEqualTo("3.5.7"))
                .withMessageContaining("needs Spring Boot 4.0 or newer, but this application runs on Spring Boot 3.5.7")
                .withMessageContaining("Upgrade the application to Spring Boot 4.0 or newer");
    }

    @Test
    void olderSpringBootVersionsAreRefused() {
        for (String version : new String[] { "2.7.18", "3.0.0", "3.5.16" }) {
            assertThatExceptionOfType(UnsupportedSpringBootVersionException.class)
                    .isThrownBy(() -> SpringBootVersionCheck.check(version));
        }
    }

    @Test
    void springBootFourAndNewerAreAccepted() {
        for (String version : new String[] { "4.0.0", "4.0.9", "4.1.2", "4.2.0-SNAPSHOT", "5.0.0-M1" }) {
            assertThatNoException().as(version).isThrownBy(() -> SpringBootVersionCheck.check(version));
        }
    }

    @Test
    void aVersionThatCannotBeReadIsAccepted() {
        assertThatNoException().isThrownBy(() -> SpringBootVersionCheck.check(null));
        assertThatNoException().isThrownBy(() -> SpringBootVersionCheck.check("unknown"));
    }

    @Test
    void theCheckIsAnInitializerThatSpringBootLoadsFromSpringFactories() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(ApplicationContextInitializer.class)).hasAtLeastOneElementOfType(SpringBootVersionCheck.class);
    }

    @Test
    void anApplicationOnThisSpringBootStartsWithTheCheckApplied() {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "hostsync.directory=" + this.directory)
                .run()) {
            assertThat(context.isActive()).isTrue();
        }
    }

    @Test
    void theFailureAnalysisSaysWhatToDoAndIsInTheTroubleshootingPage() {
        FailureAnalysis analysis = new UnsupportedSpringBootVersionFailureAnalyzer()
                .analyze(new UnsupportedSpringBootVersionException("3.5.7"));
        assertThat(analysis.getDescription()).contains("3.5.7", "hostsync meters and health contributor");
        assertThat(analysis.getAction()).contains("Upgrade the application to Spring Boot 4.0 or newer",
                "hostsync-core");
        String page = Documentation.read(Documentation.root().resolve("docs/troubleshooting.md")).replaceAll("\\s+",
                " ");
        assertThat(page).contains(analysis.getAction(), "`UnsupportedSpringBootVersionException`");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(HostsyncAutoConfiguration.class)
    static class Application {

    }
}

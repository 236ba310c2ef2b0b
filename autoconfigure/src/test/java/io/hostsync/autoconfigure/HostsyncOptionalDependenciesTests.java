package io.hostsync.autoconfigure;

import java.nio.file.Path;
import java.util.UUID;

import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedState;
import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.guard.GuardedMethodAdvisor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every optional dependency of the auto-configuration is optional: with each one
 * hidden, every hostsync auto-configuration (as listed in the imports file) still starts, and
 * regions, their beans and the annotations still work.
 */
class HostsyncOptionalDependenciesTests {

    private final String region = "optional-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
                            .getCandidates()
                            .stream()
                            .filter((candidate) -> candidate.startsWith("io.hostsync."))
                            .map(HostsyncOptionalDependenciesTests::load)
                            .toArray(Class<?>[]::new)))
            .withBean(Guarded.class);

    @Test
    void withoutMicrometerTheRegionsAndAnnotationsWork() {
        assertWorksWithout("io.micrometer");
    }

    @Test
    void withoutMicrometerObservationTheRegionsAndAnnotationsWork() {
        assertWorksWithout("io.micrometer.observation");
    }

    @Test
    void withoutActuatorTheRegionsAndAnnotationsWork() {
        assertWorksWithout("org.springframework.boot.actuate");
    }

    @Test
    void withoutJacksonTheRegionsAndAnnotationsWork() {
        assertWorksWithout("tools.jackson");
    }

    @Test
    void withoutSpringIntegrationTheRegionsAndAnnotationsWork() {
        assertWorksWithout("org.springframework.integration");
    }

    @Test
    void withoutShedLockTheRegionsAndAnnotationsWork() {
        assertWorksWithout("net.javacrumbs.shedlock");
    }

    @Test
    void withoutAnyOptionalDependencyTheRegionsAndAnnotationsWork() {
        assertWorksWithout("io.micrometer", "org.springframework.boot.actuate", "tools.jackson",
                "org.springframework.integration", "net.javacrumbs.shedlock");
    }

    private void assertWorksWithout(String... packages) {
        this.contextRunner.withClassLoader(new FilteredClassLoader(packages))
                .withPropertyValues("hostsync.directory=" + this.directory,
                        "hostsync.regions." + this.region + ".size=1MB")
                .run((context) -> {
                    assertThat(context).hasNotFailed()
                            .hasSingleBean(SharedRegion.class)
                            .hasSingleBean(SharedState.class)
                            .hasSingleBean(RWLock.class)
                            .hasSingleBean(GuardedMethodAdvisor.class);
                    RWLock lock = context.getBean(RWLock.class);
                    assertThat(context.getBean(Guarded.class).holdsTheLock(lock)).isTrue();
                });
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A bean with a guarded method; public, as its proxy class is defined by the filtered class loader. */
    public static class Guarded {

        @WriteGuarded
        public boolean holdsTheLock(RWLock lock) {
            return lock.isWriteLockedByCurrentThread();
        }
    }
}

package io.hostsync.autoconfigure.docs;

import java.nio.file.Path;

import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.guard.HostsyncGuardAutoConfiguration;
import io.hostsync.autoconfigure.observation.HostsyncObservationAutoConfiguration;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;

/**
 * The examples of the "Tracing" section of docs/operations.md, run in a real application context
 * with a real observation registry.
 */
class TracingExamplesTests {

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncGuardAutoConfiguration.class,
                            HostsyncObservationAutoConfiguration.class))
            .withBean(TestObservationRegistry.class, TestObservationRegistry::create)
            .withBean(Inventory.class);

    @Test
    void theConventionOfTheDocsNamesSpansByTheirLockAndAddsItsTag() {
        this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory)
                .withUserConfiguration(TracingConfiguration.class)
                .run((context) -> {
                    context.getBean(Inventory.class).receive(0, 5);
                    assertThat(context.getBean(TestObservationRegistry.class))
                            .hasObservationWithNameEqualTo("hostsync.guarded.call")
                            .that()
                            .hasContextualNameEqualTo("write-guarded default/inventory")
                            .hasLowCardinalityKeyValue("team", "warehouse")
                            .hasLowCardinalityKeyValue("outcome", "acquired");
                });
    }
}

package io.hostsync.autoconfigure.docs;

import java.nio.file.Path;
import java.time.Duration;

import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.shedlock.HostsyncLockProvider;
import io.hostsync.autoconfigure.shedlock.HostsyncShedLockAutoConfiguration;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ShedLock example of docs/annotations.md ({@link ExchangeRates}) in a real application
 * context, over the auto-configured {@link HostsyncLockProvider}.
 */
class ShedLockExamplesTests {

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncShedLockAutoConfiguration.class))
            .withUserConfiguration(ExchangeRates.Scheduling.class, ExchangeRates.class);

    @Test
    void aJobIsSkippedWhileItsNameIsHeldAndRunsOnceItIsFree() {
        this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory).run((context) -> {
            ExchangeRates rates = context.getBean(ExchangeRates.class);
            HostsyncLockProvider provider = context.getBean(HostsyncLockProvider.class);
            SimpleLock held = provider
                    .lock(new LockConfiguration(ClockProvider.now(), "export-42", Duration.ofMinutes(1), Duration.ZERO))
                    .orElseThrow();
            rates.export("42");
            rates.export("43");
            assertThat(rates.exported()).as("customer 42's export is held elsewhere").containsExactly("43");
            held.unlock();
            rates.export("42");
            assertThat(rates.exported()).containsExactly("43", "42");
        });
    }
}

package io.hostsync.autoconfigure.twojvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.hostsync.RWLock;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Spring applications in two JVMs on one region: their {@code @WriteGuarded} sections never
 * overlap, and one application's metrics show the other waiting.
 */
class TwoApplicationsTests {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final String region = "two-apps-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path directory;

    @Test
    void writeGuardedSectionsOfTwoApplicationsInTwoJvmsNeverOverlap() throws Exception {
        try (ConfigurableApplicationContext here = GuardedApplication.start(this.directory.toString(), this.region);
                JvmProcess there = startOther()) {
            GuardedApplication.Ledger ledger = here.getBean(GuardedApplication.Ledger.class);
            there.send("run 2000");
            for (int i = 0; i < 2000; i++) {
                ledger.transfer();
            }
            String done = there.expect("DONE", TIMEOUT);
            assertThat(Lines.fields(done).get("violations")).as("overlaps seen by the other JVM").isEqualTo("0");
            assertThat(ledger.violations()).as("overlaps seen here").isZero();
            assertThat(ledger.moved()).as("no update was lost").isEqualTo(4000);
            assertThat(ledger.balanced()).isTrue();
        }
    }

    @Test
    void oneApplicationsMetricsShowTheOtherWaiting() throws Exception {
        try (ConfigurableApplicationContext here = GuardedApplication.start(this.directory.toString(), this.region);
                JvmProcess there = startOther()) {
            RWLock lock = here.getBean(RWLock.class);
            MeterRegistry registry = here.getBean(MeterRegistry.class);
            lock.writeLock().lock();
            try {
                there.send("run 1");
                awaitGauge(registry, "host", 1.0);
                assertThat(gauge(registry, "process")).as("nobody waits in this process").isZero();
                assertThat(registry.get("hostsync.lock.holders")
                        .tags("region", this.region, "lock", "default", "mode", "write", "scope", "host")
                        .gauge()
                        .value()).isEqualTo(1.0);
            } finally {
                lock.writeLock().unlock();
            }
            there.expect("DONE", TIMEOUT);
            awaitGauge(registry, "host", 0.0);
        }
    }

    private JvmProcess startOther() {
        JvmProcess other = JvmProcess.start(List.of(), GuardedApplication.class, this.directory.toString(),
                this.region);
        other.expect("READY", TIMEOUT);
        return other;
    }

    private double gauge(MeterRegistry registry, String scope) {
        return registry.get("hostsync.lock.waiting")
                .tags("region", this.region, "lock", "default", "mode", "write", "scope", scope)
                .gauge()
                .value();
    }

    private void awaitGauge(MeterRegistry registry, String scope, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gauge(registry, scope) != expected) {
            assertThat(System.nanoTime() - deadline).as("waiting gauge (scope=%s) reaches %s", scope, expected)
                    .isNegative();
            Thread.sleep(1);
        }
    }
}

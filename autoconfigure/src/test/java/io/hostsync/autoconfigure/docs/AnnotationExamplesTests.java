package io.hostsync.autoconfigure.docs;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.hostsync.LockUpgradeException;
import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedState;
import io.hostsync.annotation.WriteGuarded;
import io.hostsync.autoconfigure.HostsyncAutoConfiguration;
import io.hostsync.autoconfigure.guard.HostsyncGuardAutoConfiguration;
import io.hostsync.autoconfigure.integration.HostsyncIntegrationAutoConfiguration;
import io.hostsync.autoconfigure.integration.HostsyncLockRegistry;
import io.hostsync.autoconfigure.json.HostsyncJsonAutoConfiguration;
import io.hostsync.docs.LockHoldingProcess;
import io.hostsync.testing.JvmProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.AnnotatedElementUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Spring examples of README.md, docs/annotations.md, docs/getting-started.md and
 * docs/shared-state.md, run in real application contexts, against a real second process where the
 * example is about one.
 */
class AnnotationExamplesTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(HostsyncAutoConfiguration.class, HostsyncGuardAutoConfiguration.class));

    /** In the region "default" of a directory of this test's own. */
    private ApplicationContextRunner inDirectory() {
        return this.contextRunner.withPropertyValues("hostsync.directory=" + this.directory);
    }

    @Test
    void aReloadReplacesTheFileThatEveryReaderReads() {
        withPriceCatalog().run((context) -> {
            PriceCatalog catalog = context.getBean(PriceCatalog.class);
            assertThat(catalog.reload(List.of("apple,30", "pear,45"))).contains(2);
            assertThat(catalog.prices()).containsExactly("apple,30", "pear,45");
        });
    }

    @Test
    void aReloadIsSkippedWhileAnotherProcessHoldsThePricesLock() {
        withPriceCatalog().withPropertyValues("prices.reload-timeout=100ms").run((context) -> {
            PriceCatalog catalog = context.getBean(PriceCatalog.class);
            catalog.reload(List.of("apple,30"));
            try (JvmProcess writer = holding("prices", "write")) {
                assertThat(catalog.reload(List.of("apple,31"))).isEmpty();
                writer.send("release");
                writer.expect("RELEASED", TIMEOUT);
                assertThat(catalog.prices()).containsExactly("apple,30");
                assertThat(catalog.reload(List.of("apple,32"))).contains(1);
            }
        });
    }

    @Test
    void readersInTwoProcessesShareThePricesLock() {
        withPriceCatalog().run((context) -> {
            PriceCatalog catalog = context.getBean(PriceCatalog.class);
            catalog.reload(List.of("apple,30"));
            try (JvmProcess reader = holding("prices", "read")) {
                assertThat(catalog.prices()).containsExactly("apple,30");
                assertThat(context.getBean(SharedRegion.class).lock("prices").hostStatistics().readHolds()).isOne();
            }
        });
    }

    @Test
    void theNightlyReportIsWrittenOnceADayHoweverOftenItRuns() {
        List<LocalDate> written = new ArrayList<>();
        inDirectory().withBean(ReportWriter.class, () -> written::add).withBean(NightlyReport.class).run((context) -> {
            NightlyReport report = context.getBean(NightlyReport.class);
            report.run();
            report.run();
            assertThat(written).containsExactly(LocalDate.now());
        });
    }

    @Test
    void theNightlyReportIsSkippedAtOnceWhileAnotherProcessWritesIt() {
        List<LocalDate> written = new ArrayList<>();
        inDirectory().withBean(ReportWriter.class, () -> written::add).withBean(NightlyReport.class).run((context) -> {
            try (JvmProcess other = holding("nightly-report", "write")) {
                context.getBean(NightlyReport.class).run();
                assertThat(written).isEmpty();
                assertThat(context.getBean(SharedState.class).counter("nightly-report.last-run-day").get()).isZero();
            }
        });
    }

    @Test
    void inventoryTotalsReadAndTransfersWriteUnderTheInventoryLock() {
        inDirectory().withBean(Inventory.class).run((context) -> {
            Inventory inventory = context.getBean(Inventory.class);
            inventory.receive(0, 10);
            inventory.transfer(0, 1, 4);
            assertThat(inventory.total()).isEqualTo(10);
            RWLock lock = context.getBean(SharedRegion.class).lock("inventory");
            lock.readLock().lock();
            try {
                assertThat(inventory.total()).as("a reader within a reader").isEqualTo(10);
                assertThatExceptionOfType(LockUpgradeException.class).as("transfer takes the write lock")
                        .isThrownBy(() -> inventory.transfer(1, 0, 1));
            } finally {
                lock.readLock().unlock();
            }
            lock.writeLock().lock();
            try {
                inventory.transfer(1, 0, 1);
            } finally {
                lock.writeLock().unlock();
            }
            assertThat(inventory.total()).isEqualTo(10);
        });
    }

    @Test
    void beansOfSeveralRegionsAreInjectedByRegionName() {
        inDirectory().withPropertyValues("hostsync.regions.orders.size=4MB", "hostsync.regions.orders.default=true",
                "hostsync.regions.reports.size=1MB")
                .withBean(OrderReports.class)
                .run((context) -> {
                    assertThat(context.getBean(OrderReports.class).print()).isOne();
                    SharedState reports = context.getBean("hostsyncState-reports", SharedState.class);
                    assertThat(reports.counter("printed").get()).isOne();
                    assertThat(context.getBean(SharedRegion.class).name()).isEqualTo("orders");
                });
    }

    @Test
    void sharedValuesAreWrittenWithTheApplicationsJsonMapper() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(HostsyncJsonAutoConfiguration.class))
                .withPropertyValues("hostsync.directory=" + this.directory)
                .withBean(JsonMapper.class, () -> JsonMapper.builder().build())
                .withBean(PriceTable.class)
                .run((context) -> {
                    PriceTable table = context.getBean(PriceTable.class);
                    assertThat(table.price("apple")).isNull();
                    table.replace(new Prices("EUR", Map.of("apple", 30L)));
                    assertThat(table.price("apple")).isEqualTo(30L);
                });
    }

    @Test
    void codeWrittenForALockRegistryRunsOverHostsyncLocks() {
        List<String> exported = new ArrayList<>();
        inDirectory().withConfiguration(AutoConfigurations.of(HostsyncIntegrationAutoConfiguration.class))
                .withBean(InvoiceExport.class)
                .run((context) -> {
                    InvoiceExport export = context.getBean(InvoiceExport.class);
                    assertThat(export.export("17", () -> exported.add("first"))).isTrue();
                    try (JvmProcess other = holding(HostsyncLockRegistry.DEFAULT_FAMILY, "write", "invoice-17")) {
                        assertThat(export.export("17", () -> exported.add("second"))).isFalse();
                        assertThat(export.export("18", () -> exported.add("another invoice"))).isTrue();
                    }
                    assertThat(exported).containsExactly("first", "another invoice");
                });
    }

    @Test
    void aKeyedGuardExcludesAmendmentsOfOneOrderOnly() {
        inDirectory().withBean(OrderAmendments.class).run((context) -> {
            OrderAmendments amendments = context.getBean(OrderAmendments.class);
            try (JvmProcess other = holding("orders", "write", "42")) {
                assertThat(amendments.amend(new OrderAmendments.Order(42, "ACME"), "qty 3"))
                        .as("another process holds order 42").isEmpty();
                assertThat(amendments.amend(new OrderAmendments.Order(43, "ACME"), "qty 3"))
                        .contains("order 43: qty 3");
            }
            assertThat(amendments.amend(new OrderAmendments.Order(42, "ACME"), "qty 3")).contains("order 42: qty 3");
        });
    }

    @Test
    void aComposedAnnotationGivesItsLockAndLetsEachMethodSetItsTimeout() throws NoSuchMethodException {
        WriteGuarded transfer = AnnotatedElementUtils.findMergedAnnotation(
                Inventory.class.getMethod("transfer", int.class, int.class, long.class), WriteGuarded.class);
        WriteGuarded receive = AnnotatedElementUtils
                .findMergedAnnotation(Inventory.class.getMethod("receive", int.class, long.class), WriteGuarded.class);
        assertThat(transfer.lock()).isEqualTo("inventory");
        assertThat(transfer.timeout()).isEqualTo("2s");
        assertThat(receive.lock()).isEqualTo("inventory");
        assertThat(receive.timeout()).isEqualTo("10s");
    }

    private ApplicationContextRunner withPriceCatalog() {
        return inDirectory().withPropertyValues("prices.file=" + this.directory.resolve("prices.csv"))
                .withBean(PriceCatalog.class);
    }

    /** Another process that holds a lock of the region "default" of this test's directory. */
    private JvmProcess holding(String lock, String mode, String... key) {
        List<String> arguments = new ArrayList<>(List.of(this.directory.toString(), "default", lock, mode));
        arguments.addAll(List.of(key));
        JvmProcess process = JvmProcess.start(List.of(), LockHoldingProcess.class, arguments.toArray(String[]::new));
        process.expect("HOLDING", TIMEOUT);
        return process;
    }
}

package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.RegionReport.KeyedLockReport;
import io.hostsync.RegionReport.LockReport;
import io.hostsync.RegionReport.SlotReport;
import io.hostsync.docs.LockHoldingProcess;
import io.hostsync.internal.region.RegionLayout;
import io.hostsync.internal.table.TableLayout;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.TestRegions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SharedRegion#verify} and the {@code inspect} command read a region without joining it and
 * report its participants (alive or dead, as the kernel says), its locks, its entries and every
 * structural problem, on real regions used by other JVMs.
 */
class RegionVerifyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @Test
    void aHealthyRegionInUseIsReportedWithItsLiveHolderAndEntriesAndNoProblem() {
        RegionOptions options = regions.options("healthy").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            region.state().counter("hits").addAndGet(3);
            region.state().value("quote", Codecs.utf8(), 64).set("hello");
        }
        try (JvmProcess holder = JvmProcess.start(List.of(), LockHoldingProcess.class, options.directory().toString(),
                options.name(), "orders", "read")) {
            holder.expect("HOLDING", TIMEOUT);
            RegionReport report = SharedRegion.verify(options.file());
            assertThat(report.problems()).isEmpty();
            assertThat(report.healthy()).isTrue();
            assertThat(report.header().slotCapacity()).isEqualTo(options.maxParticipants());
            assertThat(report.participants()).singleElement().satisfies(slot -> {
                assertThat(slot.alive()).isTrue();
                assertThat(slot.claimed()).isTrue();
                assertThat(slot.participant().pid()).isEqualTo(holder.javaPid());
            });
            LockReport orders = report.locks().stream().filter(lock -> lock.name().equals("orders")).findFirst()
                    .orElseThrow();
            assertThat(orders.holders()).singleElement().satisfies(h -> assertThat(h.readHolds()).isEqualTo(1));
            assertThat(report.entries()).extracting(entry -> entry.name()).containsExactly("hits", "quote");
            assertThat(report.format()).contains("alive", "'orders'", "1 read holds", "'quote'", "No problems found.");
        }
        // verify joined nothing: the region has no participant once the holder is gone
        assertThat(SharedRegion.verify(options.file()).participants()).isEmpty();
    }

    @Test
    void aMapIsReportedWithItsCapacityAndADamagedTableHeaderAsAProblem() throws IOException {
        RegionOptions options = regions.options("map").build();
        long block;
        try (SharedRegion region = SharedRegion.open(options)) {
            region.state().map("prices", Codecs.utf8(), Codecs.utf8(), MapCapacity.of(1000, 24)).put("EURUSD", "1.08");
            block = region.state().entries().get(0).blockOffset();
        }
        RegionReport healthy = SharedRegion.verify(options.file());
        assertThat(healthy.problems()).isEmpty();
        assertThat(healthy.format()).contains("'prices' MAP (1000 entries of 24 bytes on average)");
        CorruptedRegionTest.writeInt(options.file(), block + TableLayout.BUCKET_COUNT_OFFSET, 3);
        assertThat(SharedRegion.verify(options.file()).problems()).singleElement().asString()
                .contains("Entry 'prices': the map's table header is damaged: its bucket count at offset "
                        + (block + TableLayout.BUCKET_COUNT_OFFSET) + " is 3");
    }

    @Test
    void keyedLocksInUseAreListedWithTheirFamilyKeyHoldersAndWaiters() throws Exception {
        RegionOptions options = regions.options("keyed").build();
        try (SharedRegion region = SharedRegion.open(options);
                JvmProcess holder = JvmProcess.start(List.of(), KeyedLockWorker.class, options.directory().toString(),
                        options.name(), "9", String.valueOf(options.maxLocks()), "hold-write", "A-1")) {
            holder.expect("READY", TIMEOUT);
            holder.send("go");
            holder.expect("HELD", TIMEOUT);
            RWLock order = region.lock(KeyedLockWorker.FAMILY, "A-1");
            Thread waiter = new Thread(() -> {
                try {
                    order.readLock().lockInterruptibly();
                    order.readLock().unlock();
                } catch (InterruptedException e) {
                    // the test is over
                }
            });
            waiter.setDaemon(true);
            waiter.start();
            RWLock document = region.lock(KeyedLockWorker.FAMILY, "x".repeat(1000));
            document.readLock().lock();
            try {
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                RegionReport report;
                do {
                    assertThat(System.nanoTime()).as("the waiter is recorded").isLessThan(deadline);
                    Thread.sleep(10);
                    report = SharedRegion.verify(options.file());
                } while (report.keyedLocks().stream().noneMatch(lock -> lock.holders().stream()
                        .anyMatch(h -> h.slot() == region.slot() && h.waitingReaders() == 1)));
                assertThat(report.problems()).isEmpty();
                assertThat(report.locks()).extracting(LockReport::name).containsExactly(Names.DEFAULT_LOCK);
                assertThat(report.keyedLocks()).hasSize(2);
                KeyedLockReport a1 = report.keyedLocks().stream().filter(lock -> !lock.digest()).findFirst()
                        .orElseThrow();
                assertThat(a1.name()).isEqualTo("orders['A-1']");
                assertThat(a1.family()).isEqualTo("orders");
                assertThat(a1.pins()).as("the holder's hold and the waiter's wait").isEqualTo(2);
                assertThat(a1.writerSlot()).isNotEqualTo(region.slot()).isNotNegative();
                assertThat(a1.writerAlive()).isTrue();
                assertThat(a1.holders()).anySatisfy(h -> assertThat(h.writer()).isTrue())
                        .anySatisfy(h -> assertThat(h.waitingReaders()).isOne());
                KeyedLockReport longKey = report.keyedLocks().stream().filter(KeyedLockReport::digest).findFirst()
                        .orElseThrow();
                assertThat(longKey.name()).isEqualTo(document.name()).matches("orders\\[sha-256:[0-9a-f]{64}\\]");
                assertThat(longKey.holders()).singleElement().satisfies(h -> assertThat(h.readHolds()).isOne());
                assertThat(report.format()).contains("Keyed locks in use (2)", "orders['A-1']: 2 pins, written by slot "
                        + a1.writerSlot(), "1 waiting readers", document.name() + ": 1 pins", "1 read holds");
            } finally {
                document.readLock().unlock();
                waiter.interrupt();
                waiter.join(TIMEOUT.toMillis());
            }
        }
    }

    @Test
    void aParticipantKilledHoldingTheWriteLockIsReportedDeadWithTheLockItHeld() {
        RegionOptions options = regions.options("dead").build();
        try (JvmProcess holder = JvmProcess.start(List.of(), LockHoldingProcess.class, options.directory().toString(),
                options.name(), "orders", "write")) {
            holder.expect("HOLDING", TIMEOUT);
            holder.kill();
            RegionReport report = SharedRegion.verify(options.file());
            SlotReport slot = report.participants().get(0);
            assertThat(slot.alive()).isFalse();
            assertThat(slot.claimed()).isTrue();
            LockReport orders = report.locks().stream().filter(lock -> lock.name().equals("orders")).findFirst()
                    .orElseThrow();
            assertThat(orders.writerSlot()).isEqualTo(slot.slot());
            assertThat(orders.writerAlive()).isFalse();
            assertThat(report.format()).contains("slot " + slot.slot() + " DEAD",
                    "written by slot " + slot.slot() + " (DEAD)");
        }
    }

    @Test
    void corruptedBytesAreListedAsProblemsNamingTheStructureAndField() throws IOException {
        RegionOptions options = regions.options("corrupted").maxParticipants(8).build();
        int record;
        long valueBlock;
        try (SharedRegion region = SharedRegion.open(options)) {
            region.lock("orders").readLock().lock();
            region.lock("orders").readLock().unlock();
            region.state().value("quote", Codecs.utf8(), 64).set("hello");
            record = RegionLayout.lockRecordOffset(region.header(), region.lockNames().indexOf("orders"));
            valueBlock = region.state().entries().get(0).blockOffset();
        }
        long bitmap = CorruptedRegionTest.readLong(options.file(), record + RegionLayout.LOCK_READER_BITMAP_OFFSET);
        CorruptedRegionTest.writeLong(options.file(), record + RegionLayout.LOCK_READER_BITMAP_OFFSET,
                bitmap | 1L << 40);
        CorruptedRegionTest.writeInt(options.file(), valueBlock + 128, 0x7ffffff0);
        RegionReport report = SharedRegion.verify(options.file());
        assertThat(report.healthy()).isFalse();
        assertThat(report.problems()).anySatisfy(problem -> assertThat(problem)
                .contains("lock 'orders' (record 1)", "reader bitmap marks slot 40"));
        assertThat(report.problems()).anySatisfy(problem -> assertThat(problem)
                .contains("'quote'", "copy 0 stores a length of 2147483632 bytes"));
    }

    @Test
    void aHeaderBeyondRepairIsAProblemNotAnException() throws IOException {
        RegionOptions options = regions.options("bad-header").build();
        SharedRegion.open(options).close();
        CorruptedRegionTest.writeInt(options.file(), RegionLayout.SLOT_CAPACITY_OFFSET, 100_000);
        RegionReport report = SharedRegion.verify(options.file());
        assertThat(report.header()).isNull();
        assertThat(report.problems()).singleElement().asString().contains("inconsistent header", "100000 slots");
    }

    @Test
    void aMissingFileOrAFileThatIsNoRegionFileNameIsRefusedClearly() throws IOException {
        RegionOptions options = regions.options("missing").build();
        assertThatThrownBy(() -> SharedRegion.verify(options.file())).isInstanceOf(RegionAccessException.class)
                .hasMessageContaining("Cannot inspect " + options.file() + ": there is no such file");
        assertThatThrownBy(() -> SharedRegion.verify(Files.createTempFile("other", ".bin")))
                .isInstanceOf(RegionAccessException.class)
                .hasMessageContaining("region files are named hostsync-<region>");
    }

    @Test
    void theInspectCommandRunsWithoutJnrFfiAndExitsWithOneOnProblems() throws IOException {
        RegionOptions options = regions.options("command").maxParticipants(8).build();
        int record;
        try (SharedRegion region = SharedRegion.open(options)) {
            region.lock("orders");
            record = RegionLayout.lockRecordOffset(region.header(), region.lockNames().indexOf("orders"));
        }
        try (JvmProcess inspect = JvmProcess.start(List.of(),
                entry -> !entry.contains("jnr") && !entry.contains("jffi"),
                Inspect.class, "inspect", options.file().toString())) {
            inspect.expect("No problems found.", TIMEOUT);
            assertThat(inspect.waitFor(TIMEOUT)).isZero();
        }
        CorruptedRegionTest.writeLong(options.file(), record, 100L);
        try (JvmProcess inspect = JvmProcess.start(List.of(),
                entry -> !entry.contains("jnr") && !entry.contains("jffi"),
                Inspect.class, "inspect", options.file().toString())) {
            inspect.expect("Problems (1)", TIMEOUT);
            assertThat(inspect.expect("  ", TIMEOUT)).contains("state word names owner slot 99");
            assertThat(inspect.waitFor(TIMEOUT)).isEqualTo(1);
        }
    }
}

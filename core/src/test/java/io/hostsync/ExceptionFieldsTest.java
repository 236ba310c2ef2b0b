package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hostsync.testing.TestRegions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exceptions of real failures carry the region, the file and the values their messages name,
 * as typed fields, so that a program (the starter's failure analysis) needs no message parsing.
 */
class ExceptionFieldsTest {

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @TempDir
    Path temporary;

    @Test
    void aMismatchNamesTheSettingTheExistingValueAndTheRequestedOne() {
        RegionOptions created = regions.options("mismatch", temporary).maxLocks(20).build();
        RegionOptions asked = regions.options("mismatch", temporary).maxLocks(30).build();
        try (SharedRegion region = SharedRegion.open(created)) {
            RegionMismatchException mismatch = catchThrowableOfType(RegionMismatchException.class,
                    () -> SharedRegion.open(asked).close());
            assertThat(mismatch.setting()).isEqualTo(RegionSetting.MAX_LOCKS);
            assertThat(mismatch.existingValue()).isEqualTo(20);
            assertThat(mismatch.requestedValue()).isEqualTo(30);
            assertThat(mismatch.regionName()).contains(created.name());
            assertThat(mismatch.file()).contains(created.file());
        }
    }

    @Test
    void aBackendMismatchCarriesBothBackends() {
        RegionOptions created = regions.options("backends", temporary).backend(Backend.FILE).build();
        try (SharedRegion region = SharedRegion.open(created)) {
            RegionMismatchException mismatch = catchThrowableOfType(RegionMismatchException.class,
                    () -> SharedRegion.open(regions.options("backends", temporary).backend(Backend.ROBUST).build())
                            .close());
            assertThat(mismatch.setting()).isEqualTo(RegionSetting.BACKEND);
            assertThat(mismatch.existingValue()).isEqualTo(Backend.FILE);
            assertThat(mismatch.requestedValue()).isEqualTo(Backend.ROBUST);
        }
    }

    @Test
    void aRegionWithoutRoomForAnotherLockNamesMaxLocksAndItsValue() {
        RegionOptions options = regions.options("full", temporary).maxLocks(2).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RegionFullException full = catchThrowableOfType(RegionFullException.class, () -> {
                for (int index = 0; index <= options.maxLocks(); index++) {
                    region.lock("lock-" + index);
                }
            });
            assertThat(full.setting()).isEqualTo(RegionSetting.MAX_LOCKS);
            assertThat(full.capacity()).isEqualTo(2);
            assertThat(full.regionName()).contains(options.name());
            assertThat(full.file()).contains(options.file());
        }
    }

    @Test
    void aRegionWithoutRoomForAnotherEntryNamesMaxEntriesAndItsValue() {
        RegionOptions options = regions.options("entries", temporary).maxEntries(1).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            region.state().counter("first");
            RegionFullException full = catchThrowableOfType(RegionFullException.class,
                    () -> region.state().counter("second"));
            assertThat(full.setting()).isEqualTo(RegionSetting.MAX_ENTRIES);
            assertThat(full.capacity()).isEqualTo(1);
        }
    }

    @Test
    void aForeignFileIsRefusedNamingTheFile() throws IOException {
        RegionOptions options = regions.options("foreign", temporary).build();
        Files.write(options.file(), new byte[8192]);
        Files.write(options.file(), "NOT A REGION".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(options.file(), PosixFilePermissions.fromString("rw-------"));
        RegionFormatException format = catchThrowableOfType(RegionFormatException.class,
                () -> SharedRegion.open(options).close());
        assertThat(format.file()).contains(options.file());
        assertThat(format.regionName()).contains(options.name());
    }

    @Test
    void aRefusedFileAndARefusedDirectoryAreToldApart() throws IOException {
        RegionOptions options = regions.options("loose", temporary).build();
        SharedRegion.open(options).close();
        Files.setPosixFilePermissions(options.file(), PosixFilePermissions.fromString("rw-rw-rw-"));
        RegionAccessException file = catchThrowableOfType(RegionAccessException.class,
                () -> SharedRegion.open(options).close());
        assertThat(file.refused()).isEqualTo(RegionAccessException.Refused.FILE);
        assertThat(file.file()).contains(options.file());

        Path link = Files.createSymbolicLink(temporary.resolve("link"), temporary);
        RegionAccessException directory = catchThrowableOfType(RegionAccessException.class,
                () -> SharedRegion.open(regions.options("linked", link).build()).close());
        assertThat(directory.refused()).isEqualTo(RegionAccessException.Refused.DIRECTORY);
        assertThat(directory.file()).contains(link);
        assertThat(directory.regionName()).hasValueSatisfying(name -> assertThat(name).endsWith("linked"));
    }

    @Test
    void aLostRegionNamesTheRegionAndItsFile() throws Exception {
        RegionOptions options = regions.options("lost", temporary).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock("guarded");
            Files.delete(options.file());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (region.failure().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            RegionLostException lost = catchThrowableOfType(RegionLostException.class, () -> lock.writeLock().lock());
            assertThat(lost.regionName()).contains(options.name());
            assertThat(lost.file()).contains(options.file());
        }
    }
}

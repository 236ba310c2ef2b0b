package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.internal.os.ProcessIdentity;
import io.hostsync.internal.region.RegionLayout;
import io.hostsync.testing.TestRegions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Opening, sharing within a JVM, closing and persisting a region. */
class SharedRegionTest {

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @TempDir
    Path persistentDirectory;

    @Test
    void openingANewNameCreatesTheFileInDevShmWithAValidHeader() {
        RegionOptions options = regions.options("new").size(256 * 1024).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            assertThat(region.file()).isEqualTo(Path.of("/dev/shm/hostsync-" + options.name()));
            assertThat(region.createdByThisProcess()).isTrue();
            assertThat(region.size()).isEqualTo(256 * 1024);
            RegionHeader header = region.header();
            assertThat(header.layoutVersion()).isEqualTo(RegionLayout.LAYOUT_VERSION);
            assertThat(header.slotCapacity()).isEqualTo(RegionOptions.DEFAULT_MAX_PARTICIPANTS);
            assertThat(header.dataOffset()).isEqualTo(RegionLayout.dataOffset(RegionOptions.DEFAULT_MAX_PARTICIPANTS,
                    RegionOptions.DEFAULT_MAX_LOCKS));
            assertThat(header.lockCapacity()).isEqualTo(RegionOptions.DEFAULT_MAX_LOCKS);
            assertThat(region.lockNames()).containsExactly("default");
            assertThat(header.created()).isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now());
            assertThat(region.buffer().getLong(RegionLayout.MAGIC_OFFSET)).isEqualTo(RegionLayout.MAGIC);
        }
    }

    @Test
    void theRegionFileIsPreallocatedSoThatWritingItCannotFaultLater() throws Exception {
        RegionOptions options = regions.options("prealloc").size(512 * 1024).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            Process stat = new ProcessBuilder("stat", "--format=%b %B", region.file().toString()).start();
            String[] blocks = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
            assertThat(stat.waitFor()).isZero();
            long allocated = Long.parseLong(blocks[0]) * Long.parseLong(blocks[1]);
            assertThat(allocated).as("bytes allocated to %s", region.file()).isGreaterThanOrEqualTo(512 * 1024);
        }
    }

    @Test
    void theOnlyParticipantIsThisProcessWithItsPidNamespaceAndHost() {
        try (SharedRegion region = SharedRegion.open(regions.options("self").build())) {
            List<Participant> participants = region.participants();
            assertThat(participants).hasSize(1);
            Participant self = participants.get(0);
            assertThat(self.self()).isTrue();
            assertThat(self.slot()).isEqualTo(region.slot());
            assertThat(self.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(self.pidNamespace()).isEqualTo(ProcessIdentity.current().pidNamespace()).isPositive();
            assertThat(self.host()).isEqualTo(ProcessIdentity.current().host());
            assertThat(self.generation()).isEqualTo(region.generation()).isEqualTo(1);
        }
    }

    @Test
    void openingTheSameRegionTwiceInOneJvmSharesOneSlotUntilTheLastHandleCloses() {
        RegionOptions options = regions.options("twice").build();
        SharedRegion first = SharedRegion.open(options);
        SharedRegion second = SharedRegion.open(options);
        assertThat(second.slot()).isEqualTo(first.slot());
        assertThat(first.participants()).hasSize(1);
        first.close();
        assertThat(first.isClosed()).isTrue();
        assertThat(second.participants()).hasSize(1);
        assertThatThrownBy(() -> SharedRegion.delete(options)).isInstanceOf(RegionInUseException.class)
                .hasMessageContaining("this process still has it open");
        second.close();
        assertThat(SharedRegion.delete(options)).isTrue();
    }

    @Test
    void openingTheSameRegionInOneJvmWithAnotherSizeIsRefused() {
        RegionOptions options = regions.options("twice-sizes").build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RegionOptions bigger = RegionOptions.builder(options.name()).size(2 * RegionOptions.DEFAULT_SIZE).build();
            assertThatThrownBy(() -> SharedRegion.open(bigger)).isInstanceOf(RegionMismatchException.class)
                    .hasMessageContaining(String.valueOf(RegionOptions.DEFAULT_SIZE));
            assertThat(region.isClosed()).isFalse();
        }
    }

    @Test
    void closeIsIdempotentAndReleasesTheSlot() {
        RegionOptions options = regions.options("close").build();
        SharedRegion region = SharedRegion.open(options);
        region.close();
        region.close();
        assertThat(region.isClosed()).isTrue();
        assertThatThrownBy(region::participants).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        try (SharedRegion again = SharedRegion.open(options)) {
            assertThat(again.createdByThisProcess()).isFalse();
            assertThat(again.slot()).isEqualTo(0);
            assertThat(again.generation()).as("the slot was claimed a second time").isEqualTo(2);
        }
    }

    @Test
    void aNewFileGetsMode0600DespiteTheUmaskAndTheConfiguredModeWhenGiven() throws IOException {
        RegionOptions privateOptions = regions.options("mode-private").build();
        RegionOptions groupOptions = regions.options("mode-group").fileMode(0660).build();
        try (SharedRegion privateRegion = SharedRegion.open(privateOptions);
                SharedRegion groupRegion = SharedRegion.open(groupOptions)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateRegion.file())))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(groupRegion.file())))
                    .isEqualTo("rw-rw----");
        }
    }

    @Test
    void aRegionInAPersistentDirectoryKeepsItsHeaderAcrossReopening() throws IOException {
        RegionOptions options = regions.options("persistent", persistentDirectory.resolve("regions")).build();
        RegionHeader first;
        try (SharedRegion region = SharedRegion.open(options)) {
            first = region.header();
            region.buffer().putLong((int) first.dataOffset(), 42L);
        }
        try (SharedRegion region = SharedRegion.open(options)) {
            assertThat(region.createdByThisProcess()).isFalse();
            assertThat(region.header()).isEqualTo(first);
            assertThat(region.buffer().getLong((int) first.dataOffset())).isEqualTo(42L);
        }
        assertThat(Files.getFileStore(persistentDirectory).type()).isNotEqualTo("tmpfs");
    }

    @Test
    void deletingARegionNobodyHasOpenRemovesItsFile() {
        RegionOptions options = regions.options("delete").build();
        SharedRegion.open(options).close();
        assertThat(SharedRegion.delete(options)).isTrue();
        assertThat(Files.exists(options.file())).isFalse();
        assertThat(SharedRegion.delete(options)).as("nothing left to delete").isFalse();
    }

    @Test
    void aRegionWhoseCreatorDiedWhileInitialisingItIsInitialisedAgain() throws IOException {
        RegionOptions options = regions.options("half-made").build();
        byte[] halfMade = new byte[8192];
        java.nio.ByteBuffer.wrap(halfMade).order(RegionLayout.BYTE_ORDER).putLong(0, RegionLayout.INIT_MAGIC)
                .putInt(RegionLayout.LAYOUT_VERSION_OFFSET, 1).putLong(RegionLayout.REGION_SIZE_OFFSET, 999);
        Files.write(options.file(), halfMade);
        Files.setPosixFilePermissions(options.file(), PosixFilePermissions.fromString("rw-------"));
        try (SharedRegion region = SharedRegion.open(options)) {
            assertThat(region.createdByThisProcess()).isTrue();
            assertThat(region.size()).isEqualTo(RegionOptions.DEFAULT_SIZE);
            assertThat(Files.size(options.file())).isEqualTo(RegionOptions.DEFAULT_SIZE);
        }
    }

    @Test
    void theLayoutPlacesEveryHeaderFieldAfterThePreviousOne() {
        Map<String, Integer> offsets = new java.util.LinkedHashMap<>();
        offsets.put("magic", RegionLayout.MAGIC_OFFSET);
        offsets.put("layout version", RegionLayout.LAYOUT_VERSION_OFFSET);
        offsets.put("page size", RegionLayout.PAGE_SIZE_OFFSET);
        offsets.put("region size", RegionLayout.REGION_SIZE_OFFSET);
        offsets.put("creation time", RegionLayout.CREATION_TIME_OFFSET);
        offsets.put("flags", RegionLayout.FLAGS_OFFSET);
        offsets.put("slot table offset", RegionLayout.SLOT_TABLE_OFFSET_OFFSET);
        offsets.put("slot capacity", RegionLayout.SLOT_CAPACITY_OFFSET);
        offsets.put("slot stride", RegionLayout.SLOT_STRIDE_OFFSET);
        offsets.put("data offset", RegionLayout.DATA_OFFSET_OFFSET);
        offsets.put("lock capacity", RegionLayout.LOCK_CAPACITY_OFFSET);
        offsets.put("lock stride", RegionLayout.LOCK_STRIDE_OFFSET);
        offsets.put("lock table offset", RegionLayout.LOCK_TABLE_OFFSET_OFFSET);
        offsets.put("holder table offset", RegionLayout.HOLDER_TABLE_OFFSET_OFFSET);
        offsets.put("holder row stride", RegionLayout.HOLDER_ROW_STRIDE_OFFSET);
        offsets.put("entry capacity", RegionLayout.ENTRY_CAPACITY_OFFSET);
        offsets.put("heap offset", RegionLayout.HEAP_OFFSET_OFFSET);
        offsets.put("heap top", RegionLayout.HEAP_TOP_OFFSET);
        offsets.put("lock backend", RegionLayout.LOCK_BACKEND_OFFSET);
        assertThat(offsets.values()).containsExactly(0, 8, 12, 16, 24, 32, 40, 44, 48, 56, 64, 68, 72, 80, 88, 92, 96,
                104, 112);
        assertThat(RegionLayout.HEADER_FIELDS_LENGTH).isEqualTo(120);
        assertThat(RegionLayout.LOCK_POSIX_OFFSET).as("64-byte aligned for pthread_rwlock_t").isEqualTo(128);
        assertThat(RegionLayout.LOCK_FILE_BYTE_OFFSET).isEqualTo(128 + RegionLayout.POSIX_RWLOCK_SIZE).isEqualTo(184);
        assertThat(RegionLayout.LOCK_READER_BITMAP_OFFSET).isEqualTo(192);
        assertThat(RegionLayout.heapOffset(64, 16, 128)).isEqualTo(RegionLayout.dataOffset(64, 16) + 128 * 128);
        assertThat(RegionLayout.SLOT_HOST_OFFSET).isEqualTo(48);
        assertThat(RegionLayout.HOST_NAME_CAPACITY).isEqualTo(80);
        assertThat(RegionLayout.magicText(RegionLayout.MAGIC)).isEqualTo("HOSTSYNC");
        assertThat(RegionLayout.lockTableOffset(64)).isEqualTo(4096 + 64 * 128);
        assertThat(RegionLayout.lockStride(64)).isEqualTo(256);
        assertThat(RegionLayout.lockStride(65)).isEqualTo(256);
        assertThat(RegionLayout.lockStride(513)).isEqualTo(192 + 128);
        assertThat(RegionLayout.holderTableOffset(64, 16)).isEqualTo(4096 + 8192 + 4096);
        assertThat(RegionLayout.holderRowStride(16)).isEqualTo(1024);
        assertThat(RegionLayout.holderRowStride(1)).as("rows never share a prefetched line pair").isEqualTo(128);
        assertThat(RegionLayout.dataOffset(64, 16)).isEqualTo(4096 + 8192 + 4096 + 64 * 1024);
    }
}

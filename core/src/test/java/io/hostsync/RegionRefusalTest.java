package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.internal.os.Platform;
import io.hostsync.internal.region.RegionLayout;
import io.hostsync.testing.Root;
import io.hostsync.testing.TestRegions;
import io.hostsync.testing.Tmpfs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bad input is refused with a message that names the thing and the fix, and harms nothing. */
class RegionRefusalTest {

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @TempDir
    Path temporary;

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "a/b", "/etc/passwd", "..", "a..b", "with space", "tab\t", "naïve", "semi;colon",
            "star*" })
    void namesOutsideTheAllowedCharactersAreRefused(String name) {
        assertThatThrownBy(() -> RegionOptions.builder(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Region name");
    }

    @Test
    void aNameLongerThanTheLimitIsRefusedAndOneAtTheLimitIsAccepted() {
        assertThat(RegionOptions.builder("n".repeat(RegionOptions.MAX_NAME_LENGTH)).build().name())
                .hasSize(RegionOptions.MAX_NAME_LENGTH);
        assertThatThrownBy(() -> RegionOptions.builder("n".repeat(RegionOptions.MAX_NAME_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the limit is 100");
    }

    @Test
    void aSizeTooSmallForTheHeaderAndSlotsIsRefusedWithTheRange() {
        assertThatThrownBy(() -> RegionOptions.builder("small").size(4096).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Size 4096 bytes of region 'small'")
                .hasMessageContaining(String.valueOf(RegionLayout.minimumSize(RegionOptions.DEFAULT_MAX_PARTICIPANTS,
                        RegionOptions.DEFAULT_MAX_LOCKS, RegionOptions.DEFAULT_MAX_ENTRIES)));
    }

    @Test
    void aFileModeThatIsNotPermissionBitsOrLocksOutTheOwnerIsRefused() {
        assertThatThrownBy(() -> RegionOptions.builder("mode").fileMode(01777)).hasMessageContaining("outside 0777");
        assertThatThrownBy(() -> RegionOptions.builder("mode").fileMode(0400)).hasMessageContaining("at least 0600");
    }

    @Test
    void aFileModeThatLetsOtherUsersWriteIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> RegionOptions.builder("mode").fileMode(0666))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("File mode 0666 of region 'mode' lets every user of the host write the region")
                .hasMessageContaining("0660");
        assertThatThrownBy(() -> RegionOptions.builder("mode").fileMode(0602))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("File mode 0602");
        assertThat(RegionOptions.builder("mode").fileMode(0664).build().fileMode()).isEqualTo(0664);
    }

    @Test
    void openingAnExistingRegionWithAnotherSizeIsRefusedNamingBothSizes() {
        RegionOptions options = regions.options("size").build();
        SharedRegion.open(options).close();
        RegionOptions bigger = RegionOptions.builder(options.name()).size(2 * RegionOptions.DEFAULT_SIZE).build();
        assertThatThrownBy(() -> SharedRegion.open(bigger)).isInstanceOf(RegionMismatchException.class)
                .hasMessageContaining(options.file().toString())
                .hasMessageContaining("exists with size 1048576 bytes")
                .hasMessageContaining("asked for 2097152 bytes")
                .hasMessageContaining("configure size 1048576");
    }

    @Test
    void openingAnExistingRegionWithAnotherSlotCountIsRefused() {
        RegionOptions options = regions.options("slots").build();
        SharedRegion.open(options).close();
        RegionOptions other = RegionOptions.builder(options.name()).maxParticipants(8).build();
        assertThatThrownBy(() -> SharedRegion.open(other)).isInstanceOf(RegionMismatchException.class)
                .hasMessageContaining("exists with 64 participant slots").hasMessageContaining("asked for 8");
    }

    @Test
    void openingAnExistingRegionWithAnotherLockCountIsRefused() {
        RegionOptions options = regions.options("locks").build();
        SharedRegion.open(options).close();
        RegionOptions other = RegionOptions.builder(options.name()).maxLocks(4).build();
        assertThatThrownBy(() -> SharedRegion.open(other)).isInstanceOf(RegionMismatchException.class)
                .hasMessageContaining("exists with room for 16 locks").hasMessageContaining("asked for 4");
    }

    @Test
    void openingAnExistingRegionWithAnotherEntryCountIsRefused() {
        RegionOptions options = regions.options("entries").build();
        SharedRegion.open(options).close();
        RegionOptions other = RegionOptions.builder(options.name()).maxEntries(4).build();
        assertThatThrownBy(() -> SharedRegion.open(other)).isInstanceOf(RegionMismatchException.class)
                .hasMessageContaining("exists with room for 128 entries").hasMessageContaining("asked for 4");
    }

    @Test
    void aForeignFileIsRefusedAndLeftUntouched() throws IOException {
        RegionOptions options = regions.options("foreign").build();
        byte[] foreign = "PGDMP not a region, somebody else's data\n".repeat(200).getBytes();
        Files.write(options.file(), foreign);
        privateMode(options.file());
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionFormatException.class)
                .hasMessageContaining(options.file().toString())
                .hasMessageContaining("is not a hostsync region")
                .hasMessageContaining("starts with 'PGDMP no'")
                .hasMessageContaining("choose another region name");
        assertThat(Files.readAllBytes(options.file())).isEqualTo(foreign);
        assertThatThrownBy(() -> SharedRegion.delete(options)).isInstanceOf(RegionFormatException.class)
                .hasMessageContaining("Refusing to delete");
        assertThat(Files.exists(options.file())).isTrue();
    }

    @Test
    void aFileShorterThanAMagicNumberIsRefusedAsForeign() throws IOException {
        RegionOptions options = regions.options("tiny").build();
        Files.write(options.file(), new byte[] { 1, 2, 3 });
        privateMode(options.file());
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionFormatException.class)
                .hasMessageContaining("is only 3 bytes long");
    }

    @Test
    void aTruncatedRegionIsRefusedNamingBothSizes() throws IOException {
        RegionOptions options = regions.options("truncated").build();
        SharedRegion.open(options).close();
        try (RandomAccessFile file = new RandomAccessFile(options.file().toFile(), "rw")) {
            file.setLength(RegionOptions.DEFAULT_SIZE / 2);
        }
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionFormatException.class)
                .hasMessageContaining("is 524288 bytes long but its header says 1048576 bytes")
                .hasMessageContaining("truncated")
                .hasMessageContaining("delete the file");
    }

    @Test
    void aRegionTruncatedInsideItsHeaderIsRefused() throws IOException {
        RegionOptions options = regions.options("truncated-header").build();
        SharedRegion.open(options).close();
        try (RandomAccessFile file = new RandomAccessFile(options.file().toFile(), "rw")) {
            file.setLength(100);
        }
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionFormatException.class)
                .hasMessageContaining("is 100 bytes long, shorter than a region header");
    }

    @Test
    void aRegionOfANewerLayoutVersionIsRefusedWithAnUpgradeHint() throws IOException {
        RegionOptions options = regions.options("newer").build();
        SharedRegion.open(options).close();
        writeInt(options.file(), RegionLayout.LAYOUT_VERSION_OFFSET, RegionLayout.LAYOUT_VERSION + 1);
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionFormatException.class)
                .hasMessageContaining("has layout version 2, written by a newer hostsync")
                .hasMessageContaining("reads layout version 1 only")
                .hasMessageContaining("Upgrade hostsync");
    }

    @Test
    void aRegionWithAnInconsistentHeaderIsRefused() throws IOException {
        RegionOptions options = regions.options("inconsistent").build();
        SharedRegion.open(options).close();
        writeInt(options.file(), RegionLayout.SLOT_CAPACITY_OFFSET, 100_000);
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionFormatException.class)
                .hasMessageContaining("inconsistent header").hasMessageContaining("100000 slots");
    }

    @Test
    void aSymlinkedRegionFileIsNotFollowed() throws IOException {
        RegionOptions options = regions.options("symlink").build();
        Path target = temporary.resolve("elsewhere");
        Files.write(target, new byte[0]);
        Files.createSymbolicLink(options.file(), target);
        try {
            assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionAccessException.class)
                    .hasMessageContaining(options.file() + " of region '" + options.name() + "' is a symbolic link (to "
                            + target + ")")
                    .hasMessageContaining("remove the link");
            assertThat(Files.size(target)).as("the link's target is untouched").isZero();
        } finally {
            Files.delete(options.file());
        }
    }

    @Test
    void aFileWithLooserPermissionsThanConfiguredIsRefusedUnlessAllowed() throws IOException {
        RegionOptions options = regions.options("loose").build();
        SharedRegion.open(options).close();
        Files.setPosixFilePermissions(options.file(), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionAccessException.class)
                .hasMessageContaining("has mode 0666, looser than the configured 0600")
                .hasMessageContaining("chmod 0600 " + options.file());
        RegionOptions allowing = RegionOptions.builder(options.name()).allowLooserPermissions(true).build();
        SharedRegion.open(allowing).close();
        Files.setPosixFilePermissions(options.file(), PosixFilePermissions.fromString("rw-rw----"));
        RegionOptions configured = RegionOptions.builder(options.name()).fileMode(0660).build();
        SharedRegion.open(configured).close();
    }

    @Test
    void aFileOwnedByAnotherUserIsRefusedUnlessAllowed() throws IOException {
        Root.require();
        RegionOptions options = regions.options("owner").build();
        SharedRegion.open(options).close();
        Tmpfs.run(List.of("chown", "65534", options.file().toString()));
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionAccessException.class)
                .hasMessageContaining("is owned by uid 65534, but this process runs as uid 0");
        RegionOptions allowing = RegionOptions.builder(options.name()).allowForeignOwner(true).build();
        SharedRegion.open(allowing).close();
    }

    @Test
    void aFullTmpfsFailsAtOpenWithTheNumbersAndLeavesNoFileBehind() {
        try (Tmpfs small = Tmpfs.mount("size=256k")) {
            RegionOptions options = regions.options("full", small.directory()).build();
            assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionSpaceException.class)
                    .hasMessageContaining(
                            "Not enough space for region '" + options.name() + "' in " + small.directory())
                    .hasMessageContaining("needs 1048576 bytes")
                    .hasMessageContaining(
                            Platform.portable() ? "No space left on device" : "ENOSPC (No space left on device)")
                    .hasMessageContaining("--shm-size");
            assertThat(Files.exists(options.file())).isFalse();
            RegionOptions fitting = regions.options("fits", small.directory()).size(128 * 1024).build();
            try (SharedRegion region = SharedRegion.open(fitting)) {
                assertThat(region.size()).isEqualTo(128 * 1024);
            }
        }
    }

    @Test
    void aReadOnlyDirectoryIsRefusedNamingTheDirectory() {
        try (Tmpfs readOnly = Tmpfs.mount("size=1m,ro")) {
            RegionOptions options = regions.options("read-only", readOnly.directory()).build();
            assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionAccessException.class)
                    .hasMessageContaining("Cannot open region file " + options.file())
                    .hasMessageContaining(
                            Platform.portable() ? "Read-only file system" : "EROFS (Read-only file system)")
                    .hasMessageContaining("configure a directory it may write");
        }
    }

    @Test
    void aDirectoryThatIsAFileIsRefused() throws IOException {
        Path notADirectory = Files.write(temporary.resolve("plain-file"), new byte[0]);
        RegionOptions options = regions.options("in-file", notADirectory).build();
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionAccessException.class)
                .hasMessageContaining(notADirectory + " of region '" + options.name() + "' is not a directory");
    }

    @Test
    void aDirectoryThatIsASymbolicLinkIsNotFollowed() throws IOException {
        Path real = Files.createDirectory(temporary.resolve("private"));
        Path link = Files.createSymbolicLink(temporary.resolve("link"), real);
        RegionOptions options = regions.options("via-link", link).build();
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionAccessException.class)
                .hasMessageContaining("Region directory " + link + " of region '" + options.name()
                        + "' is a symbolic link (to " + real + ")")
                .hasMessageContaining("configure the real directory");
        try (var files = Files.list(real)) {
            assertThat(files).as("nothing created behind the link").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "rwxrwxrwx", "rwxrwx---", "rwx-w--w-" })
    void aDirectoryOthersMayWriteWithoutTheStickyBitIsRefusedUnlessAllowed(String permissions) throws IOException {
        Path shared = Files.createDirectory(temporary.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString(permissions));
        RegionOptions options = regions.options("open-dir", shared).build();
        String mode = Integer.toOctalString(Files.readAttributes(shared, "unix:mode").get("mode") instanceof Integer m
                ? m & 07777
                : -1);
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionAccessException.class)
                .hasMessageContaining("Region directory " + shared + " of region '" + options.name() + "' has mode 0"
                        + mode)
                .hasMessageContaining("chmod +t " + shared);
        assertThat(Files.exists(options.file())).as("no region created there").isFalse();
        SharedRegion.open(RegionOptions.builder(options.name()).directory(shared).allowLooserPermissions(true).build())
                .close();
    }

    @Test
    void aDirectoryOthersMayWriteWithTheStickyBitIsAcceptedLikeDevShm() throws IOException {
        Path sticky = Files.createDirectory(temporary.resolve("sticky"));
        Tmpfs.run(List.of("chmod", "1777", sticky.toString()));
        try (SharedRegion region = SharedRegion.open(regions.options("sticky", sticky).build())) {
            assertThat(region.file().getParent()).isEqualTo(sticky);
        }
    }

    @Test
    void aDirectoryOwnedByAnotherUserIsRefusedUnlessAllowed() throws IOException {
        Root.require();
        Path foreign = Files.createDirectory(temporary.resolve("foreign"));
        Tmpfs.run(List.of("chown", "65534", foreign.toString()));
        RegionOptions options = regions.options("foreign-dir", foreign).build();
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionAccessException.class)
                .hasMessageContaining("Region directory " + foreign + " of region '" + options.name()
                        + "' is owned by uid 65534, but this process runs as uid 0")
                .hasMessageContaining("allow foreign owners");
        assertThat(Files.exists(options.file())).isFalse();
        SharedRegion.open(RegionOptions.builder(options.name()).directory(foreign).allowForeignOwner(true).build())
                .close();
    }

    @Test
    void aDirectoryOwnedByRootIsAccepted() throws IOException {
        Root.require();
        Path rootOwned = Files.createDirectory(temporary.resolve("root-owned"));
        try (SharedRegion region = SharedRegion.open(regions.options("root-dir", rootOwned).build())) {
            assertThat(Files.exists(region.file())).isTrue();
        }
    }

    @Test
    void aDirectoryAtTheRegionsPathIsNotARegularFile() throws IOException {
        RegionOptions options = regions.options("dir-at-path", temporary).build();
        Files.createDirectory(options.file());
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionAccessException.class)
                .hasMessageContaining("Region file " + options.file() + " is not a regular file (a directory")
                .hasMessageContaining("choose another region name or directory");
        assertThat(Files.isDirectory(options.file())).isTrue();
    }

    @Test
    void aSocketAtTheRegionsPathIsNotARegularFile() throws IOException {
        RegionOptions options = regions.options("socket-at-path", temporary).build();
        try (var socket = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            socket.bind(java.net.UnixDomainSocketAddress.of(options.file()));
            assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionAccessException.class)
                    .hasMessageContaining("Region file " + options.file() + " is not a regular file (a socket")
                    .hasMessageContaining("choose another region name or directory");
        } finally {
            Files.deleteIfExists(options.file());
        }
    }

    @Test
    void aDirectoryBelowARegularFileIsReportedAsNotCreatable() throws IOException {
        Path notADirectory = Files.write(temporary.resolve("plain-file"), new byte[0]);
        RegionOptions options = regions.options("below-file", notADirectory.resolve("regions")).build();
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionAccessException.class)
                .hasMessageContaining(notADirectory.resolve("regions") + " of region '" + options.name()
                        + "' does not exist and could not be created");
    }

    @Test
    void aMissingPersistentDirectoryIsCreated() {
        Path missing = temporary.resolve("a/b/c");
        try (SharedRegion region = SharedRegion.open(regions.options("mkdirs", missing).build())) {
            assertThat(region.file().getParent()).isEqualTo(missing);
        }
    }

    private static void privateMode(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static void writeInt(Path file, int offset, int value) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).order(RegionLayout.BYTE_ORDER).putInt(0, value), offset);
        }
    }
}

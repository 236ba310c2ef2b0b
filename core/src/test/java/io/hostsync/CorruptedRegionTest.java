package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.internal.region.RegionLayout;
import io.hostsync.internal.table.TableLayout;
import io.hostsync.internal.table.TableLayout.Geometry;
import io.hostsync.state.Codecs;
import io.hostsync.state.EntryInfo;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedMap;
import io.hostsync.state.SharedValue;
import io.hostsync.testing.TestRegions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bytes past a region's header are not trusted: each stored offset, length, count and slot
 * number that a damaged file (a bit flip, a stray write, another program) could make impossible
 * is refused with a {@link RegionFormatException} naming the file, the structure and the field,
 * never an {@link OutOfMemoryError}, an index exception or silently wrong data. Each test damages
 * one field of a real region file between two opens, as a crash or a stray writer would.
 */
class CorruptedRegionTest {

    private static final int SLOTS = 8;

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    private RegionOptions options(String name) {
        return regions.options(name).maxParticipants(SLOTS).build();
    }

    @Test
    void aReaderBitmapBitBeyondTheSlotCapacityIsRefusedWhenTheLockIsOpened() throws IOException {
        RegionOptions options = options("bitmap");
        int record = prepareLock(options, "orders");
        long bitmap = readLong(options.file(), record + RegionLayout.LOCK_READER_BITMAP_OFFSET);
        writeLong(options.file(), record + RegionLayout.LOCK_READER_BITMAP_OFFSET, bitmap | (1L << 40));
        try (SharedRegion region = SharedRegion.open(options)) {
            assertThatThrownBy(() -> region.lock("orders").writeLock().tryLock())
                    .isInstanceOf(RegionFormatException.class)
                    .hasMessageContaining("Region file " + options.file())
                    .hasMessageContaining("lock 'orders' (record 1)")
                    .hasMessageContaining("reader bitmap marks slot 40, beyond the 8 slots");
        }
    }

    @Test
    void aLockOwnerBeyondTheSlotTableIsRefusedWhenTheLockIsOpened() throws IOException {
        RegionOptions options = options("owner");
        int record = prepareLock(options, "orders");
        writeLong(options.file(), record, 100L | (7L << 32)); // owner field: slot 99 + 1, generation 7
        try (SharedRegion region = SharedRegion.open(options)) {
            assertThatThrownBy(() -> region.lock("orders").writeLock().tryLock())
                    .isInstanceOf(RegionFormatException.class)
                    .hasMessageContaining("Region file " + options.file())
                    .hasMessageContaining("lock 'orders' (record 1)")
                    .hasMessageContaining("state word names owner slot 99, beyond the 8 slots");
        }
    }

    @Test
    void aValueMutexOwnerBeyondTheSlotTableIsRefusedNamingTheFile() throws IOException {
        RegionOptions options = options("mutex-owner");
        long[] block = new long[1];
        prepareEntry(options, region -> {
            region.state().value("quote", Codecs.utf8(), 64).set("hello");
            block[0] = entryOf(region, "quote").blockOffset();
        });
        writeLong(options.file(), block[0], 100L | (3L << 32)); // owner: slot 99 + 1, generation 3
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedValue<String> value = region.state().value("quote", Codecs.utf8(), 64);
            assertThatThrownBy(() -> value.set("next")).isInstanceOf(RegionFormatException.class)
                    .hasMessageContaining("Region file " + options.file())
                    .hasMessageContaining("corrupted mutex owner word in Value 'quote'")
                    .hasMessageContaining("slot 99, outside the slot table of 8 slots");
        }
    }

    @Test
    void aNegativeLockNameLengthIsRefusedNamingTheRecord() throws IOException {
        RegionOptions options = options("lock-name");
        int record = prepareLock(options, "orders");
        writeInt(options.file(), record + RegionLayout.LOCK_NAME_LENGTH_OFFSET, -5);
        try (SharedRegion region = SharedRegion.open(options)) {
            assertThatThrownBy(() -> region.lock("other")).isInstanceOf(RegionFormatException.class)
                    .hasMessageContaining("Region file " + options.file())
                    .hasMessageContaining("lock record 1")
                    .hasMessageContaining("name length -5, outside 0 to " + RegionLayout.LOCK_NAME_CAPACITY);
        }
    }

    @Test
    void aMisalignedEntryOffsetIsRefusedNamingTheEntry() throws IOException {
        RegionOptions options = options("misaligned");
        int entry = prepareEntry(options, region -> region.state().counter("hits").incrementAndGet());
        long offset = readLong(options.file(), entry + RegionLayout.ENTRY_BLOCK_OFFSET);
        writeLong(options.file(), entry + RegionLayout.ENTRY_BLOCK_OFFSET, offset + 8);
        // Joining reads the directory (a new participant returns a dead one's semaphore permits): it fails there.
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionFormatException.class)
                .hasMessageContaining("Region file " + options.file())
                .hasMessageContaining("directory entry 0 ('hits')")
                .hasMessageContaining("block offset " + (offset + 8) + " is not a multiple of 128");
    }

    @Test
    void anEntryBlockTooShortForItsTypeIsRefused() throws IOException {
        RegionOptions options = options("short-block");
        int entry = prepareEntry(options, region -> region.state().value("quote", Codecs.utf8(), 1000).set("x"));
        writeLong(options.file(), entry + RegionLayout.ENTRY_BLOCK_LENGTH_OFFSET, 128);
        try (SharedRegion region = SharedRegion.open(options)) {
            assertThatThrownBy(() -> region.state().value("quote", Codecs.utf8(), 1000))
                    .isInstanceOf(RegionFormatException.class)
                    .hasMessageContaining("Region file " + options.file())
                    .hasMessageContaining("directory entry 'quote'")
                    .hasMessageContaining("block of 128 bytes, smaller than the");
        }
    }

    @Test
    void anEntryNameLengthOutsideItsFieldIsRefused() throws IOException {
        RegionOptions options = options("entry-name");
        int entry = prepareEntry(options, region -> region.state().counter("hits"));
        writeInt(options.file(), entry + RegionLayout.ENTRY_NAME_LENGTH_OFFSET, 5000);
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionFormatException.class)
                .hasMessageContaining("directory entry 0")
                .hasMessageContaining("name length 5000, outside 1 to " + RegionLayout.ENTRY_NAME_CAPACITY);
    }

    @Test
    void aStoredValueLengthOfTwoGigabytesIsRefusedNotAllocated() throws IOException {
        RegionOptions options = options("huge-value");
        long[] block = new long[1];
        prepareEntry(options, region -> {
            region.state().value("quote", Codecs.utf8(), 64).set("hello");
            block[0] = entryOf(region, "quote").blockOffset();
        });
        // the committed copy after one set is copy 1
        writeInt(options.file(), block[0] + 128 + align8(8 + 64), 0x7ffffff0);
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedValue<String> value = region.state().value("quote", Codecs.utf8(), 64);
            assertThatThrownBy(value::get).isInstanceOf(RegionFormatException.class)
                    .hasMessageContaining("Region file " + options.file())
                    .hasMessageContaining("value 'quote'")
                    .hasMessageContaining(
                            "copy 1 stores a length of 2147483632 bytes, outside -1 to its capacity of 64");
        }
    }

    @Test
    void aStoredValueLengthAboveItsCapacityIsRefusedNotReadAsTrailingBytes() throws IOException {
        RegionOptions options = options("long-value");
        long[] block = new long[1];
        prepareEntry(options, region -> {
            region.state().value("quote", Codecs.utf8(), 64).set("hello");
            block[0] = entryOf(region, "quote").blockOffset();
        });
        writeInt(options.file(), block[0] + 128 + align8(8 + 64), 100);
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedValue<String> value = region.state().value("quote", Codecs.utf8(), 64);
            assertThatThrownBy(value::get).isInstanceOf(RegionFormatException.class)
                    .hasMessageContaining("copy 1 stores a length of 100 bytes, outside -1 to its capacity of 64");
        }
    }

    @Test
    void aStoredMapKeyLengthOfTwoGigabytesIsRefusedNotAllocated() throws IOException {
        RegionOptions options = options("huge-key");
        MapCapacity capacity = MapCapacity.of(16, 16);
        Geometry geometry = TableLayout.geometry(capacity.entries(), capacity.averageEntryBytes());
        long[] block = new long[1];
        prepareEntry(options, region -> {
            region.state().map("prices", Codecs.utf8(), Codecs.utf8(), capacity).put("apple", "3");
            block[0] = entryOf(region, "prices").blockOffset();
        });
        // One segment; the only record is at the start of its data area: key length (int), value length (int), bytes.
        assertThat(geometry.segments()).isOne();
        writeInt(options.file(), TableLayout.segmentOffset(block[0], geometry, 0) + geometry.dataOffset(), 0x7ffffff0);
        try (SharedRegion region = SharedRegion.open(options)) {
            SharedMap<String, String> map = region.state().map("prices", Codecs.utf8(), Codecs.utf8(), capacity);
            assertThatThrownBy(() -> map.get("apple")).isInstanceOf(RegionFormatException.class)
                    .hasMessageContaining("Region file " + options.file())
                    .hasMessageContaining("map 'prices'")
                    .hasMessageContaining("stores a key of 2147483632");
        }
    }

    @Test
    void aNewEntryOverDirtyMemoryStartsZeroed() throws IOException {
        RegionOptions options = options("dirty");
        long[] top = new long[1];
        prepareEntry(options, region -> top[0] = region.header().heapOffset());
        byte[] dirt = new byte[4096];
        Arrays.fill(dirt, (byte) 0x8d);
        try (FileChannel channel = FileChannel.open(options.file(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(dirt), top[0]);
        }
        try (SharedRegion region = SharedRegion.open(options)) {
            assertThat(region.state().counter("fresh").get()).isZero();
            assertThat(region.state().semaphore("permits", 4).availablePermits()).isEqualTo(4);
            assertThat(region.state().semaphore("permits", 4).heldByThisProcess()).isZero();
        }
    }

    @Test
    void aVersionFieldFarBeyondAnyReleaseIsReportedAsDamageNotAsANewerHostsync() throws IOException {
        RegionOptions options = options("version");
        SharedRegion.open(options).close();
        writeInt(options.file(), RegionLayout.LAYOUT_VERSION_OFFSET, 0x41000001);
        assertThatThrownBy(() -> SharedRegion.open(options)).isInstanceOf(RegionFormatException.class)
                .hasMessageContaining("Region file " + options.file())
                .hasMessageContaining("inconsistent header (layout version 1090519041")
                .hasMessageNotContaining("newer");
    }

    // ------------------------------------------------------------------ helpers

    /** Creates the lock, read-locks it once (so this slot's bitmap bit is set), and returns its record's offset. */
    private static int prepareLock(RegionOptions options, String name) {
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = region.lock(name);
            lock.readLock().lock();
            lock.readLock().unlock();
            int index = region.lockNames().indexOf(name);
            return RegionLayout.lockRecordOffset(region.header(), index);
        }
    }

    private interface RegionAction {
        void run(SharedRegion region);
    }

    /** Runs the action on the open region and returns the offset of directory entry 0. */
    private static int prepareEntry(RegionOptions options, RegionAction action) {
        try (SharedRegion region = SharedRegion.open(options)) {
            action.run(region);
            return RegionLayout.entryOffset(region.header(), 0);
        }
    }

    private static EntryInfo entryOf(SharedRegion region, String name) {
        return region.state().entries().stream().filter(entry -> entry.name().equals(name)).findFirst().orElseThrow();
    }

    private static long align8(long value) {
        return (value + 7) & ~7L;
    }

    static long readLong(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate(8).order(RegionLayout.BYTE_ORDER);
            channel.read(bytes, offset);
            return bytes.getLong(0);
        }
    }

    static void writeLong(Path file, long offset, long value) throws IOException {
        write(file, offset, ByteBuffer.allocate(8).order(RegionLayout.BYTE_ORDER).putLong(0, value));
    }

    static void writeInt(Path file, long offset, int value) throws IOException {
        write(file, offset, ByteBuffer.allocate(4).order(RegionLayout.BYTE_ORDER).putInt(0, value));
    }

    private static void write(Path file, long offset, ByteBuffer bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(bytes, offset);
        }
    }
}

package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.internal.region.RegionLayout;
import io.hostsync.internal.table.TableLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/layout.md gives the same offsets as {@link RegionLayout}, so C and Python readers can trust it. */
class LayoutDocumentationTest {

    private static final Path LAYOUT = Path.of("..", "docs", "layout.md");

    @Test
    void theHeaderTableInTheDocsMatchesTheDescriptor() throws IOException {
        Map<String, Integer> documented = table("## Header");
        assertThat(documented).containsEntry("magic", RegionLayout.MAGIC_OFFSET)
                .containsEntry("layout version", RegionLayout.LAYOUT_VERSION_OFFSET)
                .containsEntry("page size", RegionLayout.PAGE_SIZE_OFFSET)
                .containsEntry("region size", RegionLayout.REGION_SIZE_OFFSET)
                .containsEntry("creation time", RegionLayout.CREATION_TIME_OFFSET)
                .containsEntry("flags", RegionLayout.FLAGS_OFFSET)
                .containsEntry("slot table offset", RegionLayout.SLOT_TABLE_OFFSET_OFFSET)
                .containsEntry("slot capacity", RegionLayout.SLOT_CAPACITY_OFFSET)
                .containsEntry("slot stride", RegionLayout.SLOT_STRIDE_OFFSET)
                .containsEntry("data offset", RegionLayout.DATA_OFFSET_OFFSET);
    }

    @Test
    void theSlotTableInTheDocsMatchesTheDescriptor() throws IOException {
        Map<String, Integer> documented = table("## Process slot");
        assertThat(documented).containsEntry("state", RegionLayout.SLOT_STATE_OFFSET)
                .containsEntry("sequence", RegionLayout.SLOT_GENERATION_OFFSET)
                .containsEntry("pid", RegionLayout.SLOT_PID_OFFSET)
                .containsEntry("since", RegionLayout.SLOT_SINCE_OFFSET)
                .containsEntry("PID namespace", RegionLayout.SLOT_PID_NAMESPACE_OFFSET)
                .containsEntry("host length", RegionLayout.SLOT_HOST_LENGTH_OFFSET)
                .containsEntry("host", RegionLayout.SLOT_HOST_OFFSET);
        assertThat(Files.readString(LAYOUT)).contains("(128 bytes, at `4096 + slot × 128`)")
                .contains("| 48 | 80 | host |");
        assertThat(RegionLayout.SLOT_TABLE_OFFSET).isEqualTo(4096);
        assertThat(RegionLayout.SLOT_STRIDE).isEqualTo(128);
        assertThat(RegionLayout.HOST_NAME_CAPACITY).isEqualTo(80);
    }

    @Test
    void theMapBlockTablesInTheDocsMatchTheTableDescriptor() throws IOException {
        Map<String, Integer> documented = table("## Map block");
        assertThat(documented).containsEntry("table magic", TableLayout.MAGIC_OFFSET)
                .containsEntry("segment count", TableLayout.SEGMENT_COUNT_OFFSET)
                .containsEntry("bucket count", TableLayout.BUCKET_COUNT_OFFSET)
                .containsEntry("entries per segment", TableLayout.SEGMENT_ENTRIES_OFFSET)
                .containsEntry("data bytes", TableLayout.DATA_BYTES_OFFSET)
                .containsEntry("segment stride", TableLayout.SEGMENT_STRIDE_OFFSET)
                .containsEntry("chunk size", TableLayout.CHUNK_SIZE_OFFSET)
                .containsEntry("entries", TableLayout.ENTRIES_ASKED_OFFSET)
                .containsEntry("average entry bytes", TableLayout.AVERAGE_BYTES_ASKED_OFFSET)
                .containsEntry("mutex", TableLayout.MUTEX_OFFSET)
                .containsEntry("version", TableLayout.VERSION_OFFSET)
                .containsEntry("count", TableLayout.COUNT_OFFSET)
                .containsEntry("hint", TableLayout.HINT_OFFSET)
                .containsEntry("recoveries", TableLayout.RECOVERIES_OFFSET)
                .containsEntry("intent kind", TableLayout.INTENT_KIND_OFFSET)
                .containsEntry("intent bucket", TableLayout.INTENT_BUCKET_OFFSET)
                .containsEntry("intent new word", TableLayout.INTENT_NEW_WORD_OFFSET)
                .containsEntry("intent old word", TableLayout.INTENT_OLD_WORD_OFFSET)
                .containsEntry("buckets", TableLayout.BUCKETS_OFFSET);
        assertThat(TableLayout.TABLE_HEADER_LENGTH).isEqualTo(128);
        assertThat(TableLayout.CHUNK).isEqualTo(8);
        TableLayout.Geometry million = TableLayout.geometry(1_000_000, 80);
        assertThat(million.segmentStride()).as("the stride formula in the docs").isEqualTo((int) align(
                TableLayout.BUCKETS_OFFSET + million.buckets() * 8L + million.dataBytes() / 64 + million.dataBytes(),
                128));
    }

    @Test
    void theDocumentedHashOfAKeyIsTheOneTheTableUses() {
        // the recipe of docs/layout.md, step by step, for a key of 11 bytes (one word and a padded tail)
        byte[] key = "hello-world".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer padded = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).put(key);
        long h = key.length * 0x9E3779B97F4A7C15L;
        for (int word = 0; word < 2; word++) {
            h = Long.rotateLeft(h ^ (padded.getLong(word * 8) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        assertThat(TableLayout.hash(key)).isEqualTo(h);
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    /** Reads "| offset | size | field | ..." rows of the table under a heading. */
    private static Map<String, Integer> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(LAYOUT);
        Map<String, Integer> offsets = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSection = line.startsWith(heading);
                continue;
            }
            String[] cells = line.split("\\|");
            if (inSection && cells.length > 3 && cells[1].trim().matches("[0-9]+")) {
                offsets.put(cells[3].trim(), Integer.parseInt(cells[1].trim()));
            }
        }
        assertThat(offsets).as("rows under '%s' in %s", heading, LAYOUT).isNotEmpty();
        return offsets;
    }
}

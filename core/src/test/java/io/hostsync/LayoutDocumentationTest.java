package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.internal.region.RegionLayout;
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

package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import io.hostsync.testing.RegionProbe;
import io.hostsync.testing.TestRegions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Processes that open one new region name at the same instant end with one region. */
class CreationRaceTest {

    private static final int PROCESSES = 8;
    private static final int ROUNDS = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final TestRegions names = new TestRegions();

    @Test
    void eightJvmsStartedTogetherOnOneNewNameInitialiseItOnceAndGetDistinctSlots() {
        for (int round = 0; round < ROUNDS; round++) {
            String name = names.name("race-" + round);
            List<JvmProcess> processes = new ArrayList<>();
            try {
                for (int i = 0; i < PROCESSES; i++) {
                    processes.add(JvmProcess.start(List.of(), RegionProbe.class,
                            RegionOptions.DEFAULT_DIRECTORY.toString(), name,
                            String.valueOf(RegionOptions.DEFAULT_SIZE),
                            String.valueOf(RegionOptions.DEFAULT_MAX_PARTICIPANTS)));
                }
                for (JvmProcess process : processes) {
                    process.expect("READY", TIMEOUT);
                }
                // Fresh JVMs, native library not loaded yet, all released within microseconds of each other.
                for (JvmProcess process : processes) {
                    process.send("open");
                }
                List<Map<String, String>> opened = new ArrayList<>();
                for (JvmProcess process : processes) {
                    opened.add(Lines.fields(process.expect("OPENED", TIMEOUT)));
                }
                assertThat(opened).as("round %d: exactly one process initialised the region", round)
                        .filteredOn(fields -> fields.get("created").equals("true")).hasSize(1);
                Set<String> headers = new HashSet<>();
                Set<String> slots = new HashSet<>();
                for (Map<String, String> fields : opened) {
                    headers.add(fields.get("header"));
                    slots.add(fields.get("slot"));
                }
                assertThat(headers).as("round %d: every process read the same header", round).hasSize(1);
                assertThat(slots).as("round %d: every process holds its own slot", round).hasSize(PROCESSES);
            } finally {
                processes.forEach(JvmProcess::close);
            }
        }
    }
}

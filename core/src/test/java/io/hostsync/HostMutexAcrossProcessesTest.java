package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.internal.region.RegionLayout;
import io.hostsync.internal.table.TableLayout;
import io.hostsync.state.Codecs;
import io.hostsync.state.EntryInfo;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedMap;
import io.hostsync.testing.JvmProcess;
import io.hostsync.testing.Lines;
import io.hostsync.testing.RegionProbe;
import io.hostsync.testing.TestRegions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The crash-safe mutex under values, maps and semaphores, with its owner word damaged while a real
 * other process is alive.
 */
class HostMutexAcrossProcessesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, RegionLayout.BYTE_ORDER);

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    /**
     * Slot 2^25 + k is far beyond the slot table, but its byte offset wraps around 32 bits onto
     * slot k's record: a liveness check that trusted the number would find process k alive, with
     * the right generation, and wait for it as long as it lives.
     */
    @Test
    void aMutexOwnerBeyondTheSlotTableIsReportedAsCorruptionInsteadOfWaitedFor() throws Exception {
        RegionOptions options = regions.options("mutex-owner").build();
        try (SharedRegion region = SharedRegion.open(options);
                JvmProcess other = JvmProcess.start(List.of(), RegionProbe.class, options.directory().toString(),
                        options.name(), String.valueOf(options.size()), String.valueOf(options.maxParticipants()))) {
            SharedMap<String, String> map = region.state().map("prices", Codecs.utf8(), Codecs.utf8(),
                    MapCapacity.of(16, 16));
            other.expect("READY", TIMEOUT);
            other.send("open");
            Map<String, String> opened = Lines.fields(other.expect("OPENED", TIMEOUT));
            int otherSlot = Integer.parseInt(opened.get("slot"));
            long otherGeneration = Long.parseLong(opened.get("generation"));
            long mutex = region.state().entries().stream().filter(entry -> entry.name().equals("prices"))
                    .mapToLong(EntryInfo::blockOffset).findFirst().orElseThrow() + TableLayout.TABLE_HEADER_LENGTH; // segment 0's mutex
            long aliasOfOther = (1L << 25) + otherSlot;
            LONGS.setVolatile(region.buffer(), (int) mutex,
                    ((otherGeneration & 0xFFFF_FFFFL) << 32) | (aliasOfOther + 1));

            CompletableFuture<String> put = CompletableFuture.supplyAsync(() -> map.put("EURUSD", "1.08"));

            assertThatThrownBy(() -> put.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RegionFormatException.class)
                    .hasMessageContaining(options.file().toString())
                    .hasMessageContaining("owner")
                    .hasMessageContaining(String.valueOf(aliasOfOther))
                    .hasMessageContaining("'prices'");
            assertThat(map.get("EURUSD")).isNull();
        }
    }
}

package io.hostsync.docs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

// tag::imports[]
import io.hostsync.EntryMismatchException;
import io.hostsync.SharedRegion;
import io.hostsync.ValueTooLargeException;
import io.hostsync.state.Codec;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedBytes;
import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedLongArray;
import io.hostsync.state.SharedMap;
import io.hostsync.state.SharedSemaphore;
import io.hostsync.state.SharedState;
import io.hostsync.state.SharedValue;
// end::imports[]
import io.hostsync.testing.TestRegions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The examples of docs/shared-state.md (and README.md), run. */
class SharedStateExamples {

    /** A price table, stored as JSON. */
    // tag::prices-record[]
    public record Prices(String currency, Map<String, Long> cents) {
    }
    // end::prices-record[]

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    private SharedRegion region;
    private final List<String> calls = new ArrayList<>();

    @BeforeEach
    void open() {
        region = SharedRegion.open(regions.options("state").build());
    }

    @AfterEach
    void close() {
        region.close();
    }

    @Test
    void aCounterCountsForTheWholeHost() {
        // tag::counter[]
        SharedState state = region.state();
        SharedCounter requests = state.counter("requests"); // created at 0 by the first process to ask
        requests.incrementAndGet();
        requests.addAndGet(10);
        long peak = state.counter("peak-queue").accumulateAndGet(17, Math::max);
        // end::counter[]
        assertThat(requests.get()).isEqualTo(11);
        assertThat(peak).isEqualTo(17);
    }

    @Test
    void anArrayGivesEachProcessItsOwnElement() {
        SharedState state = region.state();
        // tag::array[]
        int slots = region.options().maxParticipants();
        SharedLongArray handled = state.longArray("handled-by-slot", slots); // one element per process slot
        handled.incrementAndGet(region.slot()); // this process's element
        long total = 0;
        for (long count : handled.toArray()) {
            total += count;
        }
        // end::array[]
        assertThat(total).isEqualTo(1);
    }

    @Test
    void aValueIsReplacedWholeAndReadWithoutALock() {
        SharedState state = region.state();
        // tag::value[]
        SharedValue<Prices> prices = state.value("prices", Codecs.json(Prices.class), 64 * 1024);
        prices.set(new Prices("EUR", Map.of("apple", 30L))); // in one process...
        Prices current = prices.get(); // ...seen by all; decoded only when it changed
        long version = prices.version(); // 0 before the first set, +1 per change
        // end::value[]
        assertThat(current).isEqualTo(new Prices("EUR", Map.of("apple", 30L)));
        assertThat(version).isEqualTo(1);
        // tag::value-update[]
        prices.update(table -> { // atomic against every writer on the host
            Map<String, Long> cents = new HashMap<>(table.cents());
            cents.put("pear", 45L);
            return new Prices(table.currency(), cents);
        });
        boolean replaced = prices.compareAndSet(current, new Prices("USD", Map.of())); // false: it changed
        // end::value-update[]
        assertThat(replaced).isFalse();
        assertThat(prices.get().cents()).containsEntry("pear", 45L);
        assertThat(prices.version()).isEqualTo(2);
    }

    @Test
    void aValueTooLargeForItsCapacityIsRefusedAndTheOldValueStays() {
        SharedValue<String> motto = region.state().value("motto", Codecs.utf8(), 8);
        motto.set("short");
        assertThatExceptionOfType(ValueTooLargeException.class).isThrownBy(() -> motto.set("far too long for 8 bytes"))
                .withMessageContaining("nothing was written");
        assertThat(motto.get()).isEqualTo("short");
    }

    @Test
    void listenersHearOfEveryChange() throws Exception {
        SharedValue<Prices> prices = region.state().value("prices", Codecs.json(Prices.class), 64 * 1024);
        BlockingQueue<Prices> heard = new LinkedBlockingQueue<>();
        // tag::on-change[]
        AutoCloseable subscription = prices.onChange(table -> heard.add(table)); // called on a daemon thread
        // end::on-change[]
        try {
            prices.set(new Prices("EUR", Map.of("plum", 12L)));
            assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo(new Prices("EUR", Map.of("plum", 12L)));
        } finally {
            // tag::on-change-close[]
            subscription.close();
            // end::on-change-close[]
        }
    }

    @Test
    void aNameHasOneTypeAndSizeForEveryProcess() {
        SharedState state = region.state();
        state.longArray("per-worker", 16);
        assertThatExceptionOfType(EntryMismatchException.class).isThrownBy(() -> state.longArray("per-worker", 32))
                .withMessageContaining("exists as a LONG_ARRAY of length 16, but this process asked for a LONG_ARRAY"
                        + " of length 32");
    }

    @Test
    void aSemaphoreBoundsAResourceForTheWholeHost() throws InterruptedException {
        SharedState state = region.state();
        // tag::semaphore[]
        SharedSemaphore connections = state.semaphore("db-connections", 10); // 10 for every process together
        if (connections.tryAcquire(1, 2, TimeUnit.SECONDS)) {
            try {
                query();
            } finally {
                connections.release(1);
            }
        }
        // end::semaphore[]
        assertThat(calls).containsExactly("query");
        assertThat(connections.availablePermits()).isEqualTo(10);
    }

    @Test
    void aMapIsChangedAtomicallyByAnyProcess() {
        SharedState state = region.state();
        // tag::map[]
        SharedMap<String, String> owners = state.map("owners", Codecs.utf8(), Codecs.utf8(),
                MapCapacity.of(1_000, 32)); // entries, and key + value bytes on average
        owners.putIfAbsent("invoice-42", "slot-" + region.slot()); // the first process to ask owns it
        String owner = owners.get("invoice-42"); // takes no lock
        owners.merge("invoices-owned", "1", (a, b) -> String.valueOf(Long.parseLong(a) + 1)); // atomic for the host
        Map<String, String> copy = Map.copyOf(owners); // a weakly consistent copy
        // end::map[]
        assertThat(owner).isEqualTo("slot-" + region.slot());
        assertThat(copy).containsOnlyKeys("invoice-42", "invoices-owned");
    }

    @Test
    void rawBytesAreReadAndWrittenUnderTheirLock() {
        SharedState state = region.state();
        // tag::bytes[]
        SharedBytes table = state.bytes("lookup-table", 4096, "lookup"); // guarded by the lock "lookup"
        table.write(buffer -> buffer.putLong(0, 42L)); // under its write lock
        long first = table.read(buffer -> buffer.getLong(0)); // under its read lock
        // end::bytes[]
        assertThat(first).isEqualTo(42L);
        assertThat(table.lock().name()).isEqualTo("lookup");
    }

    @Test
    void aCodecOfYourOwnStoresAnyType() {
        SharedState state = region.state();
        // tag::codec[]
        Codec<Instant> instants = new Codec<>() {
            @Override
            public byte[] encode(Instant value) {
                return value.toString().getBytes(UTF_8);
            }

            @Override
            public Instant decode(byte[] bytes) {
                return Instant.parse(new String(bytes, UTF_8));
            }
        };
        SharedValue<Instant> lastRun = state.value("last-run", instants, 64);
        // end::codec[]
        Instant now = Instant.parse("2026-11-22T23:00:00Z");
        lastRun.set(now);
        assertThat(lastRun.get()).isEqualTo(now);
    }

    private void query() {
        calls.add("query");
    }
}

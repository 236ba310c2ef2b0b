package io.hostsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostsync.internal.region.RegionLayout;
import io.hostsync.state.Codec;
import io.hostsync.state.Codecs;
import io.hostsync.state.EntryInfo;
import io.hostsync.state.EntryType;
import io.hostsync.state.SharedBytes;
import io.hostsync.state.SharedCounter;
import io.hostsync.state.SharedDoubleArray;
import io.hostsync.state.SharedIntArray;
import io.hostsync.state.SharedLongArray;
import io.hostsync.state.SharedSemaphore;
import io.hostsync.state.SharedState;
import io.hostsync.state.SharedValue;
import io.hostsync.testing.TestRegions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SharedState within one JVM: every entry type, every refusal. */
class SharedStateTest {

    /** A record stored as JSON. */
    public record Prices(String currency, Map<String, Long> cents) {
    }

    @RegisterExtension
    final TestRegions regions = new TestRegions();

    @TempDir
    Path persistent;

    private SharedRegion region;
    private SharedState state;

    @BeforeEach
    void open() {
        region = SharedRegion.open(regions.options("state").build());
        state = region.state();
    }

    @AfterEach
    void close() {
        region.close();
    }

    @Test
    void aCounterIsAnAtomicLong() {
        SharedCounter counter = state.counter("requests");
        assertThat(counter.get()).isZero();
        assertThat(counter.incrementAndGet()).isEqualTo(1);
        assertThat(counter.addAndGet(41)).isEqualTo(42);
        assertThat(counter.getAndAdd(-2)).isEqualTo(42);
        assertThat(counter.decrementAndGet()).isEqualTo(39);
        assertThat(counter.compareAndSet(1, 5)).isFalse();
        assertThat(counter.compareAndSet(39, 5)).isTrue();
        assertThat(counter.updateAndGet(v -> v * 3)).isEqualTo(15);
        assertThat(counter.accumulateAndGet(4, Math::max)).isEqualTo(15);
        assertThat(counter.getAndSet(7)).isEqualTo(15);
        assertThat(state.counter("requests")).as("one instance per name").isSameAs(counter);
        assertThat(state.counter("requests").get()).isEqualTo(7);
    }

    @Test
    void arraysGiveAtomicAccessToEachElementAndCheckBounds() {
        SharedLongArray longs = state.longArray("per-worker", 4);
        longs.incrementAndGet(3);
        longs.addAndGet(3, 10);
        assertThat(longs.toArray()).containsExactly(0, 0, 0, 11);
        assertThat(longs.compareAndSet(0, 0, 9)).isTrue();
        assertThat(longs.updateAndGet(0, v -> v + 1)).isEqualTo(10);
        assertThatThrownBy(() -> longs.get(4)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("Index 4 is outside array 'per-worker' of length 4");

        SharedIntArray ints = state.intArray("flags", 2);
        ints.set(1, 7);
        assertThat(ints.getAndAdd(1, 2)).isEqualTo(7);
        assertThat(ints.toArray()).containsExactly(0, 9);
        assertThatThrownBy(() -> ints.set(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class);

        SharedDoubleArray doubles = state.doubleArray("load", 2);
        assertThat(doubles.addAndGet(0, 0.5)).isEqualTo(0.5);
        doubles.set(1, Double.NaN);
        assertThat(doubles.compareAndSet(1, Double.NaN, 1.0)).as("compared bit for bit").isTrue();
        assertThat(doubles.compareAndSet(0, -0.0, 2.0)).isFalse();
        assertThat(doubles.toArray()).containsExactly(0.5, 1.0);
    }

    @Test
    void aValueIsNullUntilSetThenVersionedAndDecodedOncePerChange() {
        int[] decodes = new int[1];
        Codec<String> counting = new Codec<>() {
            @Override
            public byte[] encode(String value) {
                return Codecs.utf8().encode(value);
            }

            @Override
            public String decode(byte[] bytes) {
                decodes[0]++;
                return Codecs.utf8().decode(bytes);
            }
        };
        SharedValue<String> value = state.value("greeting", counting, 64);
        assertThat(value.get()).isNull();
        assertThat(value.version()).isZero();
        value.set("hello");
        assertThat(value.version()).isEqualTo(1);
        int before = decodes[0];
        for (int i = 0; i < 100; i++) {
            assertThat(value.get()).isEqualTo("hello");
        }
        assertThat(decodes[0] - before).as("decoded once for 100 reads of one version").isEqualTo(1);
        assertThat(value.update(current -> current + ", world")).isEqualTo("hello, world");
        assertThat(value.compareAndSet("nope", "x")).isFalse();
        assertThat(value.compareAndSet("hello, world", "bye")).isTrue();
        assertThat(value.get()).isEqualTo("bye");
        assertThat(value.version()).isEqualTo(3);
        value.set(null);
        assertThat(value.get()).isNull();
        value.set("");
        assertThat(value.get()).isEmpty();
    }

    @Test
    void aValueLargerThanItsCapacityIsRefusedAndThePreviousOneStays() {
        SharedValue<String> value = state.value("small", Codecs.utf8(), 8);
        value.set("12345678");
        assertThatThrownBy(() -> value.set("123456789")).isInstanceOf(ValueTooLargeException.class)
                .hasMessageContaining("encodes to 9 bytes, more than its capacity of 8 bytes; nothing was written");
        assertThatThrownBy(() -> value.update(v -> v + "9")).isInstanceOf(ValueTooLargeException.class);
        assertThat(value.get()).isEqualTo("12345678");
        assertThat(value.version()).isEqualTo(1);
    }

    @Test
    void recordsTravelAsJsonThroughJackson() {
        SharedValue<Prices> prices = state.value("prices", Codecs.json(Prices.class), 1024);
        Prices table = new Prices("EUR", Map.of("apple", 30L, "pear", 45L));
        prices.set(table);
        assertThat(prices.get()).isEqualTo(table);
        SharedValue<byte[]> raw = state.value("raw", Codecs.bytes(), 16);
        raw.set(new byte[] { 1, 2, 3 });
        assertThat(raw.get()).containsExactly(1, 2, 3);
    }

    @Test
    void changingAValueFromInsideItsOwnUpdateIsRefused() {
        SharedValue<String> value = state.value("reentrant", Codecs.utf8(), 16);
        assertThatThrownBy(() -> value.update(v -> {
            value.set("inner");
            return "outer";
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("from inside its own update function");
        value.set("still works");
        assertThat(value.get()).isEqualTo("still works");
    }

    @Test
    void aChangeListenerIsToldOfChanges() throws Exception {
        SharedValue<String> value = state.value("watched", Codecs.utf8(), 32);
        AtomicReference<String> seen = new AtomicReference<>();
        CountDownLatch told = new CountDownLatch(1);
        try (AutoCloseable registration = value.onChange(changed -> {
            seen.set(changed);
            told.countDown();
        })) {
            value.set("changed");
            assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(seen.get()).isEqualTo("changed");
        }
    }

    @Test
    void askingForAnExistingNameWithAnotherTypeOrSizeNamesBoth() {
        state.counter("hits");
        state.longArray("slots", 8);
        assertThatThrownBy(() -> state.longArray("hits", 8)).isInstanceOf(EntryMismatchException.class)
                .hasMessageContaining("Entry 'hits' of region '" + region.name() + "' (" + region.file()
                        + ") exists as a counter")
                .hasMessageContaining("asked for a LONG_ARRAY of length 8");
        assertThatThrownBy(() -> state.longArray("slots", 16)).isInstanceOf(EntryMismatchException.class)
                .hasMessageContaining("exists as a LONG_ARRAY of length 8")
                .hasMessageContaining("asked for a LONG_ARRAY of length 16");
        assertThatThrownBy(() -> state.counter("bad name")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Entry name 'bad name'");
        assertThat(state.entries()).extracting(EntryInfo::name).containsExactly("hits", "slots");
    }

    @Test
    void aFullDirectoryIsRefusedBeforeAnythingIsWritten() {
        try (SharedRegion small = SharedRegion.open(regions.options("few-entries").maxEntries(2).build())) {
            small.state().counter("one");
            small.state().counter("two");
            assertThatThrownBy(() -> small.state().counter("three")).isInstanceOf(RegionFullException.class)
                    .hasMessageContaining("no room for entry 'three': all 2 directory entries are in use")
                    .hasMessageContaining("larger maxEntries");
            assertThat(small.state().entries()).hasSize(2);
        }
    }

    @Test
    void aFullHeapIsRefusedWithTheNumbers() {
        long heap = region.size() - region.header().heapOffset();
        assertThatThrownBy(() -> state.longArray("huge", (int) (heap / 8) + 1)).isInstanceOf(RegionFullException.class)
                .hasMessageContaining("no room for entry 'huge'")
                .hasMessageContaining(heap + " of the heap's " + heap + " bytes are free")
                .hasMessageContaining("larger size");
        assertThat(state.entries()).isEmpty();
        long used = region.usedBytes();
        assertThat(used).isEqualTo(region.header().heapOffset());
        state.counter("still-fits");
        assertThat(region.usedBytes()).isEqualTo(used + RegionLayout.BLOCK_ALIGNMENT);
    }

    @Test
    void rawBytesAreBoundsCheckedAndGuardedByTheLock() {
        SharedBytes bytes = state.bytes("struct", 16);
        bytes.write(4, new byte[] { 1, 2, 3, 4 });
        byte[] read = new byte[4];
        bytes.read(4, read);
        assertThat(read).containsExactly(1, 2, 3, 4);
        bytes.write(view -> view.putLong(8, 42L));
        assertThat(bytes.read((ByteBuffer view) -> view.getLong(8))).isEqualTo(42L);
        assertThat(bytes.read((ByteBuffer view) -> view.capacity())).isEqualTo(16);
        assertThatThrownBy(() -> bytes.write(14, new byte[4])).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("Bytes 14 to 18 are outside 'struct', which has 16 bytes");
        assertThatThrownBy(() -> bytes.read(view -> view.put(0, (byte) 1)))
                .isInstanceOf(java.nio.ReadOnlyBufferException.class);
        assertThat(bytes.lock()).isSameAs(region.lock());
    }

    @Test
    void aSemaphoreCountsPermitsAndRefusesToReleaseWhatThisProcessDoesNotHold() throws Exception {
        SharedSemaphore semaphore = state.semaphore("connections", 3);
        semaphore.acquire(2);
        assertThat(semaphore.availablePermits()).isEqualTo(1);
        assertThat(semaphore.tryAcquire(2)).isFalse();
        assertThat(semaphore.tryAcquire(2, 30, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(semaphore.tryAcquire(1)).isTrue();
        assertThat(semaphore.heldByThisProcess()).isEqualTo(3);
        semaphore.release(3);
        assertThatThrownBy(() -> semaphore.release(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds 0 permit(s) of semaphore 'connections'");
        assertThatThrownBy(() -> semaphore.acquire(4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(semaphore.availablePermits()).isEqualTo(3);
    }

    @Test
    void aWaitingAcquisitionProceedsWhenAPermitIsReleased() throws Exception {
        SharedSemaphore semaphore = state.semaphore("single", 1);
        semaphore.acquire(1);
        CountDownLatch acquired = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                semaphore.acquire(1);
                acquired.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        assertThat(acquired.await(100, TimeUnit.MILLISECONDS)).isFalse();
        semaphore.release(1);
        assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
        waiter.join();
    }

    @Test
    void entriesOfAPersistentRegionSurviveClosingAndReopening() {
        RegionOptions options = regions.options("keeps", persistent).build();
        try (SharedRegion first = SharedRegion.open(options)) {
            first.state().counter("boots").incrementAndGet();
            first.state().value("motd", Codecs.utf8(), 64).set("kept on disk");
        }
        try (SharedRegion second = SharedRegion.open(options)) {
            assertThat(second.state().counter("boots").get()).isEqualTo(1);
            assertThat(second.state().value("motd", Codecs.utf8(), 64).get()).isEqualTo("kept on disk");
            assertThat(second.state().entries()).extracting(EntryInfo::type)
                    .containsExactly(EntryType.COUNTER, EntryType.VALUE);
        }
    }

    static Codec<Long> longs() {
        return new Codec<>() {
            @Override
            public byte[] encode(Long value) {
                return ByteBuffer.allocate(8).putLong(value).array();
            }

            @Override
            public Long decode(byte[] bytes) {
                return ByteBuffer.wrap(bytes).getLong();
            }
        };
    }
}

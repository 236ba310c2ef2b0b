package io.hostsync.benchmarks;

import io.hostsync.state.SharedCounter;
import io.hostsync.SharedRegion;
import io.hostsync.state.SharedValue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shared state against its JVM-local baseline, in one run: {@link SharedCounter#incrementAndGet()}
 * against {@link AtomicLong#incrementAndGet()} (goal: at most 2x), and {@link SharedValue#get()}
 * against {@link AtomicReference#get()}, of a value that has not changed since the last read
 * (goal: at most 3x) and of one that has just changed. Single thread, uncontended.
 *
 * <p>Read after a change: before every timed read, untimed ({@code @Setup(Level.Invocation)}),
 * the value is replaced by the other of two quotes, so that every timed {@code get()} finds a
 * new version and decodes it, the cost a reader pays once per change. The baseline goes through
 * the same per-invocation harness, whose clock reads are then in both figures; the difference
 * between the two is what the decoding costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StateBenchmark {

    private SharedRegion region;
    private SharedCounter counter;
    private SharedValue<Quote> value;
    private final AtomicLong atomicLong = new AtomicLong();
    private final AtomicReference<Quote> atomicReference = new AtomicReference<>();

    /** Opens a region of its own with one counter and one value. */
    @Setup(Level.Trial)
    public void open() {
        region = SharedRegion.open(Regions.options(Regions.uniqueName()));
        counter = region.state().counter("counter");
        value = region.state().value("quote", Quote.CODEC, 4096);
        Quote quote = Quote.sample(0);
        value.set(quote);
        atomicReference.set(quote);
    }

    /** Closes and deletes the region. */
    @TearDown(Level.Trial)
    public void close() {
        Regions.closeAndDelete(region);
    }

    /** @return the new count */
    @Benchmark
    public long sharedCounterIncrement() {
        return counter.incrementAndGet();
    }

    /** @return the new count */
    @Benchmark
    public long atomicLongIncrement() {
        return atomicLong.incrementAndGet();
    }

    /** @return the unchanged value, decoded once before the measurement */
    @Benchmark
    public Quote sharedValueGetUnchanged() {
        return value.get();
    }

    /** @return the value */
    @Benchmark
    public Quote atomicReferenceGet() {
        return atomicReference.get();
    }

    /** A value replaced before every invocation, in the region and in an AtomicReference. */
    @State(Scope.Thread)
    public static class Changing {
        private final Quote[] quotes = { Quote.sample(1), Quote.sample(2) };
        private SharedRegion region;
        private SharedValue<Quote> value;
        private final AtomicReference<Quote> atomicReference = new AtomicReference<>();
        private int next;

        /** Opens a region of its own with one value. */
        @Setup(Level.Trial)
        public void open() {
            region = SharedRegion.open(Regions.options(Regions.uniqueName()));
            value = region.state().value("quote", Quote.CODEC, 4096);
        }

        /** Untimed: the other quote, in both places. */
        @Setup(Level.Invocation)
        public void change() {
            next ^= 1;
            value.set(quotes[next]);
            atomicReference.set(quotes[next]);
        }

        /** Closes and deletes the region. */
        @TearDown(Level.Trial)
        public void close() {
            Regions.closeAndDelete(region);
        }
    }

    /** @return the value, decoded: it changed since the last read */
    @Benchmark
    public Quote sharedValueGetAfterChange(Changing s) {
        return s.value.get();
    }

    /** @return the value, set just before (the same per-invocation harness) */
    @Benchmark
    public Quote atomicReferenceGetAfterChange(Changing s) {
        return s.atomicReference.get();
    }
}

package io.hostsync.state;

import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.internal.region.RegionFile;
import java.nio.MappedByteBuffer;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A lock-free atomic long shared by every process that opens the region: {@link java.util.concurrent.atomic.AtomicLong}
 * across JVMs. Every operation has volatile semantics. The long sits alone in two cache lines.
 *
 * <p>Every operation throws {@link io.hostsync.RegionLostException} once the region's file was
 * removed, replaced or truncated while in use, and {@link IllegalStateException} once the region
 * is closed.
 */
public final class SharedCounter {

    private final String name;
    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final int offset;

    SharedCounter(RegionFile region, EntryInfo entry) {
        this.name = entry.name();
        this.region = region;
        this.buffer = region.buffer;
        this.offset = (int) entry.blockOffset();
    }

    /** @return the entry's name */
    public String name() {
        return name;
    }

    /** @return the current value */
    public long get() {
        try {
            region.ensureOpen(); // one volatile read: a lost or closed region refuses
            return (long) LONGS.getVolatile(buffer, offset);
        } catch (InternalError fault) {
            throw region.lostBy(fault); // a truncated file faults: never retry on it
        }
    }

    /** @param value the new value */
    public void set(long value) {
        try {
            region.ensureOpen();
            LONGS.setVolatile(buffer, offset, value);
        } catch (InternalError fault) {
            throw region.lostBy(fault);
        }
    }

    /** @return the value after adding one */
    public long incrementAndGet() {
        try {
            region.ensureOpen();
            return (long) LONGS.getAndAdd(buffer, offset, 1L) + 1;
        } catch (InternalError fault) {
            throw region.lostBy(fault);
        }
    }

    /** @return the value after subtracting one */
    public long decrementAndGet() {
        try {
            region.ensureOpen();
            return (long) LONGS.getAndAdd(buffer, offset, -1L) - 1;
        } catch (InternalError fault) {
            throw region.lostBy(fault);
        }
    }

    /**
     * @param delta what to add
     * @return the value after adding
     */
    public long addAndGet(long delta) {
        try {
            region.ensureOpen();
            return (long) LONGS.getAndAdd(buffer, offset, delta) + delta;
        } catch (InternalError fault) {
            throw region.lostBy(fault);
        }
    }

    /**
     * @param delta what to add
     * @return the value before adding
     */
    public long getAndAdd(long delta) {
        try {
            region.ensureOpen();
            return (long) LONGS.getAndAdd(buffer, offset, delta);
        } catch (InternalError fault) {
            throw region.lostBy(fault);
        }
    }

    /**
     * @param value the new value
     * @return the value before
     */
    public long getAndSet(long value) {
        try {
            region.ensureOpen();
            return (long) LONGS.getAndSet(buffer, offset, value);
        } catch (InternalError fault) {
            throw region.lostBy(fault);
        }
    }

    /**
     * @param expected the value thought current
     * @param value the new value
     * @return whether the value was {@code expected} and is now {@code value}
     */
    public boolean compareAndSet(long expected, long value) {
        try {
            region.ensureOpen();
            return LONGS.compareAndSet(buffer, offset, expected, value);
        } catch (InternalError fault) {
            throw region.lostBy(fault);
        }
    }

    /**
     * Applies a function atomically, retrying if another thread or process changed the value
     * meanwhile; the function must be free of side effects.
     *
     * @param function from the current value to the next
     * @return the new value
     */
    public long updateAndGet(LongUnaryOperator function) {
        long current;
        long next;
        do {
            current = get();
            next = function.applyAsLong(current);
        } while (!compareAndSet(current, next));
        return next;
    }

    /**
     * Combines the value with {@code x} atomically, as {@link #updateAndGet(LongUnaryOperator)} does.
     *
     * @param x the other operand
     * @param function the combination
     * @return the new value
     */
    public long accumulateAndGet(long x, LongBinaryOperator function) {
        return updateAndGet(current -> function.applyAsLong(current, x));
    }

    @Override
    public String toString() {
        return "SharedCounter[" + name + "="
                + (region.failure().isPresent() || region.isClosed() ? "unavailable" : get()) + "]";
    }
}

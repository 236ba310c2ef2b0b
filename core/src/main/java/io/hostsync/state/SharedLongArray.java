package io.hostsync.state;

import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.internal.region.RegionFile;
import java.nio.MappedByteBuffer;
import java.util.function.LongUnaryOperator;

/**
 * A fixed-length array of longs shared by every process that opens the region, with atomic
 * access to each element (volatile semantics), like {@link java.util.concurrent.atomic.AtomicLongArray}.
 * For the "one element per worker" pattern, give each worker its own index.
 */
public final class SharedLongArray {

    private final String name;
    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final int offset;
    private final int length;

    SharedLongArray(RegionFile region, EntryInfo entry) {
        this.name = entry.name();
        this.region = region;
        this.buffer = region.buffer;
        this.offset = (int) entry.blockOffset();
        this.length = (int) entry.parameter();
    }

    /** @return the entry's name */
    public String name() {
        return name;
    }

    /** @return the number of elements */
    public int length() {
        return length;
    }

    /** Every element access passes here: a lost or closed region refuses it (one volatile read). */
    private int at(int index) {
        region.ensureOpen();
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(
                    "Index " + index + " is outside array '" + name + "' of length " + length);
        }
        return offset + index * 8;
    }

    /**
     * @param index the element
     * @return its value
     */
    public long get(int index) {
        return (long) LONGS.getVolatile(buffer, at(index));
    }

    /**
     * @param index the element
     * @param value its new value
     */
    public void set(int index, long value) {
        LONGS.setVolatile(buffer, at(index), value);
    }

    /**
     * @param index the element
     * @param delta what to add
     * @return its value after adding
     */
    public long addAndGet(int index, long delta) {
        return (long) LONGS.getAndAdd(buffer, at(index), delta) + delta;
    }

    /**
     * @param index the element
     * @param delta what to add
     * @return its value before adding
     */
    public long getAndAdd(int index, long delta) {
        return (long) LONGS.getAndAdd(buffer, at(index), delta);
    }

    /**
     * @param index the element
     * @return its value after adding one
     */
    public long incrementAndGet(int index) {
        return addAndGet(index, (long) 1);
    }

    /**
     * @param index the element
     * @param expected the value thought current
     * @param value the new value
     * @return whether the element was {@code expected} and is now {@code value}
     */
    public boolean compareAndSet(int index, long expected, long value) {
        return LONGS.compareAndSet(buffer, at(index), expected, value);
    }

    /**
     * Applies a side-effect-free function to an element atomically, retrying on interference.
     *
     * @param index the element
     * @param function from its value to the next
     * @return the new value
     */
    public long updateAndGet(int index, LongUnaryOperator function) {
        long current;
        long next;
        do {
            current = get(index);
            next = function.applyAsLong(current);
        } while (!compareAndSet(index, current, next));
        return next;
    }

    /** @return a copy of every element, each read atomically (not all at one instant) */
    public long[] toArray() {
        long[] copy = new long[length];
        for (int index = 0; index < length; index++) {
            copy[index] = get(index);
        }
        return copy;
    }
}

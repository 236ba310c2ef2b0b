package io.hostsync.state;

import static io.hostsync.internal.region.Words.INTS;

import io.hostsync.internal.region.RegionFile;
import java.nio.MappedByteBuffer;
import java.util.function.IntUnaryOperator;

/**
 * A fixed-length array of ints shared by every process that opens the region, with atomic
 * access to each element (volatile semantics), like {@link java.util.concurrent.atomic.AtomicIntegerArray}.
 * For the "one element per worker" pattern, give each worker its own index.
 */
public final class SharedIntArray {

    private final String name;
    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final int offset;
    private final int length;

    SharedIntArray(RegionFile region, EntryInfo entry) {
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
        return offset + index * 4;
    }

    /**
     * @param index the element
     * @return its value
     */
    public int get(int index) {
        return (int) INTS.getVolatile(buffer, at(index));
    }

    /**
     * @param index the element
     * @param value its new value
     */
    public void set(int index, int value) {
        INTS.setVolatile(buffer, at(index), value);
    }

    /**
     * @param index the element
     * @param delta what to add
     * @return its value after adding
     */
    public int addAndGet(int index, int delta) {
        return (int) INTS.getAndAdd(buffer, at(index), delta) + delta;
    }

    /**
     * @param index the element
     * @param delta what to add
     * @return its value before adding
     */
    public int getAndAdd(int index, int delta) {
        return (int) INTS.getAndAdd(buffer, at(index), delta);
    }

    /**
     * @param index the element
     * @return its value after adding one
     */
    public int incrementAndGet(int index) {
        return addAndGet(index, (int) 1);
    }

    /**
     * @param index the element
     * @param expected the value thought current
     * @param value the new value
     * @return whether the element was {@code expected} and is now {@code value}
     */
    public boolean compareAndSet(int index, int expected, int value) {
        return INTS.compareAndSet(buffer, at(index), expected, value);
    }

    /**
     * Applies a side-effect-free function to an element atomically, retrying on interference.
     *
     * @param index the element
     * @param function from its value to the next
     * @return the new value
     */
    public int updateAndGet(int index, IntUnaryOperator function) {
        int current;
        int next;
        do {
            current = get(index);
            next = function.applyAsInt(current);
        } while (!compareAndSet(index, current, next));
        return next;
    }

    /** @return a copy of every element, each read atomically (not all at one instant) */
    public int[] toArray() {
        int[] copy = new int[length];
        for (int index = 0; index < length; index++) {
            copy[index] = get(index);
        }
        return copy;
    }
}

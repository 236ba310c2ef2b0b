package io.hostsync.state;

import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.internal.region.RegionFile;
import java.nio.MappedByteBuffer;
import java.util.function.DoubleUnaryOperator;

/**
 * A fixed-length array of doubles shared by every process that opens the region, with atomic
 * access to each element. Elements are stored as their IEEE 754 bits; compare-and-set compares
 * bits, so {@code NaN} matches {@code NaN} and {@code 0.0} does not match {@code -0.0}.
 */
public final class SharedDoubleArray {

    private final String name;
    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final int offset;
    private final int length;

    SharedDoubleArray(RegionFile region, EntryInfo entry) {
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
        return offset + index * Double.BYTES;
    }

    /**
     * @param index the element
     * @return its value
     */
    public double get(int index) {
        return Double.longBitsToDouble((long) LONGS.getVolatile(buffer, at(index)));
    }

    /**
     * @param index the element
     * @param value its new value
     */
    public void set(int index, double value) {
        LONGS.setVolatile(buffer, at(index), Double.doubleToRawLongBits(value));
    }

    /**
     * @param index the element
     * @param expected the value thought current (compared bit for bit)
     * @param value the new value
     * @return whether the element was {@code expected} and is now {@code value}
     */
    public boolean compareAndSet(int index, double expected, double value) {
        return LONGS.compareAndSet(buffer, at(index), Double.doubleToRawLongBits(expected),
                Double.doubleToRawLongBits(value));
    }

    /**
     * @param index the element
     * @param delta what to add
     * @return its value after adding
     */
    public double addAndGet(int index, double delta) {
        return updateAndGet(index, current -> current + delta);
    }

    /**
     * Applies a side-effect-free function to an element atomically, retrying on interference.
     *
     * @param index the element
     * @param function from its value to the next
     * @return the new value
     */
    public double updateAndGet(int index, DoubleUnaryOperator function) {
        int at = at(index);
        long current;
        double next;
        do {
            current = (long) LONGS.getVolatile(buffer, at);
            next = function.applyAsDouble(Double.longBitsToDouble(current));
        } while (!LONGS.compareAndSet(buffer, at, current, Double.doubleToRawLongBits(next)));
        return next;
    }

    /** @return a copy of every element, each read atomically (not all at one instant) */
    public double[] toArray() {
        double[] copy = new double[length];
        for (int index = 0; index < length; index++) {
            copy[index] = get(index);
        }
        return copy;
    }
}

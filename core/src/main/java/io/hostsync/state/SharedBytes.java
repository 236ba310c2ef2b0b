package io.hostsync.state;

import io.hostsync.RWLock;
import io.hostsync.internal.region.RegionFile;
import io.hostsync.internal.region.RegionLayout;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Raw bytes in a layout the user brings — the mmap'd struct idea — read under a lock's read lock
 * and written under its write lock (the region's default lock unless another is named). Every
 * access is bounds-checked against the entry's size.
 */
public final class SharedBytes {

    private final String name;
    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final int offset;
    private final int size;
    private final RWLock lock;

    SharedBytes(RegionFile region, EntryInfo entry, RWLock lock) {
        this.name = entry.name();
        this.region = region;
        this.buffer = region.buffer;
        this.offset = (int) entry.blockOffset();
        this.size = (int) entry.parameter();
        this.lock = lock;
    }

    /** @return the entry's name */
    public String name() {
        return name;
    }

    /** @return the number of bytes */
    public int size() {
        return size;
    }

    /** @return the lock that guards these bytes */
    public RWLock lock() {
        return lock;
    }

    /**
     * Copies bytes out under the read lock.
     *
     * @param position the first byte, from 0
     * @param destination where to copy; its whole length is read
     */
    public void read(int position, byte[] destination) {
        check(position, destination.length);
        lock.readLock().lock();
        try {
            buffer.get(offset + position, destination);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Copies bytes in under the write lock.
     *
     * @param position the first byte, from 0
     * @param source what to copy; its whole length is written
     */
    public void write(int position, byte[] source) {
        check(position, source.length);
        lock.writeLock().lock();
        try {
            buffer.put(offset + position, source);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Runs {@code reader} under the read lock with a read-only view of exactly these bytes
     * (native byte order). The view must not be kept after {@code reader} returns.
     *
     * @param reader reads the view
     * @param <R> what it returns
     * @return what {@code reader} returned
     */
    public <R> R read(Function<ByteBuffer, R> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(view().asReadOnlyBuffer().order(RegionLayout.BYTE_ORDER));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs {@code writer} under the write lock with a view of exactly these bytes (native byte
     * order). The view must not be kept after {@code writer} returns.
     *
     * @param writer changes the view
     */
    public void write(Consumer<ByteBuffer> writer) {
        lock.writeLock().lock();
        try {
            writer.accept(view());
        } finally {
            lock.writeLock().unlock();
        }
    }

    private ByteBuffer view() {
        return buffer.slice(offset, size).order(RegionLayout.BYTE_ORDER);
    }

    /** Every access passes here: a lost or closed region refuses it, even to a thread holding the lock. */
    private void check(int position, int length) {
        region.ensureOpen();
        if (position < 0 || length < 0 || (long) position + length > size) {
            throw new IndexOutOfBoundsException(
                    "Bytes " + position + " to " + ((long) position + length) + " are outside '"
                            + name + "', which has " + size + " bytes");
        }
    }
}

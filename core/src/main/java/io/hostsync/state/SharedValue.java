package io.hostsync.state;

import static io.hostsync.internal.region.Words.LONGS;

import io.hostsync.HostsyncException;
import io.hostsync.RegionFormatException;
import io.hostsync.ValueTooLargeException;
import io.hostsync.internal.lock.HostMutex;
import io.hostsync.internal.region.HeaderFormat;
import io.hostsync.internal.region.RegionFile;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A typed object shared by every process that opens the region, stored through a {@link Codec}.
 *
 * <p>The block holds two copies and a control word naming the committed one. A writer (one at a
 * time, through a crash-safe {@link HostMutex}) writes the other copy, then publishes it by
 * changing the control word with release ordering. So a reader never sees a torn value, with or
 * without a lock: a writer killed in the middle of {@link #set(Object)} leaves the previous
 * value committed. {@link #get()} decodes only when the version changed.
 *
 * <pre>
 *   +0    mutex (owner, futex words and sleepers of its waiters and of the listeners): {@link HostMutex}
 *   +64   control: version (bits 1-63) and committed copy (bit 0)
 *   +128  copy 0: length (int; -1 for null), 4 bytes padding, bytes[capacity]
 *   +128 + align8(8 + capacity)  copy 1: the same
 * </pre>
 *
 * @param <T> the type of the value
 */
public final class SharedValue<T> {

    private static final int CONTROL = 64;
    private static final int COPIES = 128;
    private static final int READ_ATTEMPTS = 1000;

    private final String name;
    private final String regionName;
    private final Path file;
    private final Codec<T> codec;
    private final int capacity;
    private final RegionFile region;
    private final MappedByteBuffer buffer;
    private final int control;
    private final int[] copies;
    private final HostMutex mutex;
    private final CopyOnWriteArrayList<Consumer<? super T>> listeners = new CopyOnWriteArrayList<>();
    private volatile @Nullable Snapshot<T> cache;
    private @Nullable Thread watcher;

    private record Snapshot<T>(long control, @Nullable T value) {
    }

    SharedValue(RegionFile region, EntryInfo entry, Codec<T> codec) {
        this.name = entry.name();
        this.regionName = region.options.name();
        this.file = region.file;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.capacity = (int) entry.parameter();
        this.region = region;
        this.buffer = region.buffer;
        int base = (int) entry.blockOffset();
        this.control = base + CONTROL;
        this.copies = new int[] { base + COPIES, base + COPIES + copyStride(capacity) };
        this.mutex = new HostMutex(region, base, "Value '" + name + "' of region '" + regionName + "'");
    }

    static long blockLength(int capacity) {
        return COPIES + 2L * copyStride(capacity);
    }

    private static int copyStride(int capacity) {
        return (8 + capacity + 7) & ~7;
    }

    /** @return the entry's name */
    public String name() {
        return name;
    }

    /** @return the largest encoded value, in bytes */
    public int capacity() {
        return capacity;
    }

    /**
     * Returns the latest committed value, decoding it only if it changed since this instance
     * last decoded it.
     *
     * @return the value, or {@code null} if none was ever set (or null was set)
     */
    public @Nullable T get() {
        region.ensureOpen(); // a lost or closed region refuses: one volatile read
        long committed = (long) LONGS.getAcquire(buffer, control);
        Snapshot<T> snapshot = cache;
        if (snapshot != null && snapshot.control == committed) {
            return snapshot.value;
        }
        return read().value;
    }

    /**
     * Returns the version: 0 before the first write, then one more at every committed write.
     *
     * @return the version
     */
    public long version() {
        region.ensureOpen();
        return (long) LONGS.getAcquire(buffer, control) >>> 1;
    }

    /**
     * Replaces the value. The encoded value is checked against the capacity before anything is
     * written.
     *
     * @param value the new value, or {@code null}
     * @throws ValueTooLargeException if the encoded value does not fit
     */
    public void set(@Nullable T value) {
        byte[] bytes = encode(value);
        mutex.lock();
        try {
            commit(bytes);
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Replaces the value with a function of the current one, atomically with respect to every
     * writer in every process. The function runs once, holding the value's mutex: keep it
     * short, and do not change this value from inside it.
     *
     * @param function from the current value (maybe {@code null}) to the next
     * @return the new value
     */
    public @Nullable T update(UnaryOperator<@Nullable T> function) {
        mutex.lock();
        try {
            @Nullable
            T next = function.apply(read().value);
            commit(encode(next));
            return next;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Replaces the value if the current one {@linkplain Object#equals(Object) equals} the
     * expected one, atomically with respect to every writer in every process.
     *
     * @param expected the value thought current (maybe {@code null})
     * @param value the new value
     * @return whether it was replaced
     */
    public boolean compareAndSet(@Nullable T expected, @Nullable T value) {
        byte[] bytes = encode(value);
        mutex.lock();
        try {
            if (!Objects.equals(read().value, expected)) {
                return false;
            }
            commit(bytes);
            return true;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Calls {@code listener} with the new value after every change committed by any process,
     * from a daemon thread of this JVM. Changes in quick succession may be reported once, with
     * the latest value.
     *
     * @param listener the listener
     * @return a handle whose {@code close()} stops the calls
     */
    public AutoCloseable onChange(Consumer<? super T> listener) {
        listeners.add(listener);
        startWatcher();
        return () -> listeners.remove(listener);
    }

    private synchronized void startWatcher() {
        if (watcher != null) {
            return;
        }
        long baseline = (long) LONGS.getAcquire(buffer, control); // read here, so that a change right after onChange() counts
        Thread started = new Thread(() -> watch(baseline), "hostsync-watch-" + regionName + "-" + name);
        started.setDaemon(true);
        watcher = started;
        started.start();
    }

    private void watch(long baseline) {
        try {
            watchWhileListened(baseline);
        } catch (RuntimeException e) {
            if (!region.isClosed() && region.failure().isEmpty()) {
                throw e;
            }
            synchronized (this) {
                watcher = null; // closed, or lost (the watchdog has logged why): nothing left to watch
            }
        }
    }

    private void watchWhileListened(long baseline) {
        long seen = baseline;
        while (true) {
            synchronized (this) {
                if (listeners.isEmpty()) {
                    watcher = null; // a listener added from now on starts a new watcher
                    return;
                }
            }
            long current = (long) LONGS.getAcquire(buffer, control);
            if (current != seen) {
                seen = current;
                T value = get();
                for (Consumer<? super T> listener : listeners) {
                    try {
                        listener.accept(value);
                    } catch (RuntimeException e) {
                        System.getLogger(SharedValue.class.getName()).log(System.Logger.Level.WARNING,
                                "Listener of value '" + name + "' failed", e);
                    }
                }
                continue;
            }
            long last = seen;
            mutex.awaitChange(TimeUnit.SECONDS.toNanos(1), () -> (long) LONGS.getAcquire(buffer, control) == last);
        }
    }

    private byte @Nullable [] encode(@Nullable T value) {
        if (value == null) {
            return null;
        }
        byte[] bytes = codec.encode(value);
        if (bytes.length > capacity) {
            throw new ValueTooLargeException("Value '" + name + "' of region '" + regionName + "' encodes to "
                    + bytes.length
                    + " bytes, more than its capacity of " + capacity + " bytes; nothing was written. Store less, or"
                    + " use a new entry with a larger capacity (an entry's capacity is fixed when it is created).");
        }
        return bytes;
    }

    /** Called holding the mutex: writes the copy that is not committed, then commits it. */
    private void commit(byte @Nullable [] bytes) {
        long current = (long) LONGS.getVolatile(buffer, control);
        int target = (int) (~current & 1);
        int copy = copies[target];
        buffer.putInt(copy, bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            buffer.put(copy + 8, bytes);
        }
        LONGS.setRelease(buffer, control, (((current >>> 1) + 1) << 1) | target);
        mutex.signalChange(); // the listeners' watchers, in every process
    }

    /** Reads the committed copy consistently, retrying while writers commit over it. */
    private Snapshot<T> read() {
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            long before = (long) LONGS.getAcquire(buffer, control);
            int copy = copies[(int) (before & 1)];
            int length = buffer.getInt(copy);
            byte[] bytes = null;
            if (length >= 0 && length <= capacity) {
                bytes = new byte[length];
                buffer.get(copy + 8, bytes);
            } else if (length != -1) {
                if ((long) LONGS.getVolatile(buffer, control) == before) {
                    throw badLength(before, length); // no writer touches the committed copy: it is damaged
                }
                continue; // a writer is reusing this copy: the control word has moved
            }
            VarHandle.acquireFence();
            if ((long) LONGS.getVolatile(buffer, control) == before) {
                return remember(before, bytes);
            }
        }
        // Writers keep committing faster than we copy: read between two of them.
        mutex.lock();
        try {
            long before = (long) LONGS.getVolatile(buffer, control);
            int copy = copies[(int) (before & 1)];
            int length = buffer.getInt(copy);
            if (length < -1 || length > capacity) {
                throw badLength(before, length);
            }
            byte[] bytes = length < 0 ? null : new byte[length];
            if (bytes != null) {
                buffer.get(copy + 8, bytes);
            }
            return remember(before, bytes);
        } finally {
            mutex.unlock();
        }
    }

    /** The committed copy's stored length is impossible: refused before anything is allocated or read. */
    private RegionFormatException badLength(long committed, int length) {
        return HeaderFormat.corrupted(file,
                "has a corrupted value '" + name + "' (region '" + regionName + "'): its committed"
                        + " copy " + (committed & 1) + " stores a length of " + length
                        + " bytes, outside -1 to its capacity of "
                        + capacity);
    }

    private Snapshot<T> remember(long committed, byte @Nullable [] bytes) {
        @Nullable
        T value = null;
        try {
            if (bytes != null && ((committed >>> 1) != 0 || bytes.length != 0)) {
                value = codec.decode(bytes);
            }
        } catch (RegionFormatException e) {
            throw e; // the map codec found its encoding damaged, and says where
        } catch (RuntimeException e) {
            throw new HostsyncException("Value '" + name + "' of region '" + regionName + "' (" + file + ", version "
                    + (committed >>> 1)
                    + ", " + (bytes == null ? 0 : bytes.length) + " bytes) could not be decoded: " + e
                    + ". Every process must use a compatible"
                    + " codec for it.", e);
        }
        Snapshot<T> snapshot = new Snapshot<>(committed, value);
        cache = snapshot;
        return snapshot;
    }

    @Override
    public String toString() {
        return "SharedValue[" + regionName + "/" + name + ", version " + version() + "]";
    }
}

package io.hostsync.benchmarks;

import io.hostsync.internal.os.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A page of 32-bit words in a file in {@code /dev/shm}, mapped by the benchmark and its partner
 * process: the futex words of the raw-futex baseline and the flags that pace the two-process
 * benchmarks. Each word has a cache line of its own.
 */
final class Channel {

    /** Futex word the partner sleeps on in the raw-futex baseline; the benchmark bumps it and wakes it. */
    static final int PING = 0;
    /** Bumped by the partner when it has woken up (raw futex) or acquired the lock (hostsync). */
    static final int ACK = 64;
    /** Bumped by the benchmark when it holds the lock again and the partner may queue for it. */
    static final int TURN = 128;
    /** Set to 1 by the benchmark when the partner should exit. */
    static final int STOP = 192;
    /** Bumped by the partner right before it asks for the lock (the timed handoff watches for its park after that). */
    static final int ASKING = 256;

    private static final int SIZE = 4096;
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final Path file;
    private final MappedByteBuffer buffer;
    private final long address;

    private Channel(Path file, boolean create) {
        this.file = file;
        try (FileChannel channel = create
                ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Mapping READ_WRITE past the end grows the file to SIZE (zeros).
            this.buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not map " + file, e);
        }
        this.address = Native.address(buffer);
    }

    /** @return a new channel file {@code /dev/shm/bench-<random>.channel}, mapped */
    static Channel create() {
        return new Channel(Path.of("/dev/shm", Regions.uniqueName() + ".channel"), true);
    }

    /**
     * Maps an existing channel file.
     *
     * @param file the file the benchmark created
     * @return the mapped channel
     */
    static Channel open(Path file) {
        return new Channel(file, false);
    }

    Path file() {
        return file;
    }

    /** @return the native address of a word in this process's mapping */
    long address(int word) {
        return address + word;
    }

    int get(int word) {
        return (int) INTS.getVolatile(buffer, word);
    }

    void set(int word, int value) {
        INTS.setVolatile(buffer, word, value);
    }

    /** Adds one to a word; a full fence. */
    void increment(int word) {
        INTS.getAndAdd(buffer, word, 1);
    }

    /**
     * Busy-waits (no sleep) until a word no longer holds {@code seen}.
     *
     * @return the new value
     */
    int spinWhileEquals(int word, int seen) {
        int now;
        while ((now = get(word)) == seen) {
            Thread.onSpinWait();
        }
        return now;
    }

    /** Deletes the file; the mappings stay valid until collected. */
    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + file, e);
        }
    }

    /** @return a random suffix, for names no other run uses */
    static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    }
}

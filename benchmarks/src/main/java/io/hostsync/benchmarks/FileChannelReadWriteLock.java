package io.hostsync.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * The pure-Java way to share a lock between processes and have the kernel free it when a holder
 * dies: {@link FileChannel#lock(long, long, boolean)} on the first byte of a file, shared for
 * reading and exclusive for writing ({@code fcntl F_SETLKW} underneath on Linux).
 *
 * <p>For one thread per process: a second thread of the same JVM asking for a lock on the same
 * file gets {@link java.nio.channels.OverlappingFileLockException}, which is why the benchmarks
 * give this contender other processes, never other threads. {@code lock()} and {@code unlock()}
 * only; the other {@link Lock} methods are not needed here and throw.
 */
final class FileChannelReadWriteLock implements ReadWriteLock, AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final Lock read = new Half(true);
    private final Lock write = new Half(false);
    private FileLock held;

    /**
     * Opens the lock file, creating it if needed.
     *
     * @param file the lock file
     */
    FileChannelReadWriteLock(Path file) {
        this.file = file;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open the lock file " + file, e);
        }
    }

    @Override
    public Lock readLock() {
        return read;
    }

    @Override
    public Lock writeLock() {
        return write;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not close the lock file " + file, e);
        }
    }

    private final class Half implements Lock {

        private final boolean shared;

        Half(boolean shared) {
            this.shared = shared;
        }

        @Override
        public void lock() {
            try {
                held = channel.lock(0, 1, shared);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not lock " + file, e);
            }
        }

        @Override
        public void unlock() {
            try {
                held.release();
                held = null;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not unlock " + file, e);
            }
        }

        @Override
        public void lockInterruptibly() {
            throw new UnsupportedOperationException("not needed by the benchmarks");
        }

        @Override
        public boolean tryLock() {
            throw new UnsupportedOperationException("not needed by the benchmarks");
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) {
            throw new UnsupportedOperationException("not needed by the benchmarks");
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("not needed by the benchmarks");
        }
    }
}

package io.hostsync.internal.os;

import io.hostsync.HostsyncException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link FileChannel} locks: one channel for the region in this JVM, never closed while the
 * region is open (closing any channel of a file may drop a process's locks on it), and a
 * table of held bytes so that the JVM never asks twice for one range.
 */
public final class ChannelLocks implements ByteLocks {
    private final FileChannel channel;
    private final Path file;
    private final Map<Long, FileLock> held = new HashMap<>();

    /**
     * Byte locks on a channel that these locks close.
     *
     * @param file the file, for error messages
     * @param channel the channel, open for reading and writing
     */
    public ChannelLocks(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Byte locks on a channel of their own (the Linux region layer keeps its OFD locks on its descriptor).
     *
     * @param file the region file
     * @return the locks
     */
    public static ChannelLocks open(Path file) {
        try {
            return new ChannelLocks(file, FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new HostsyncException("Could not open " + file + " for file locks: " + e, e);
        }
    }

    @Override
    public synchronized boolean tryLock(long offset, boolean shared) {
        FileLock previous = held.get(offset);
        if (previous != null) {
            throw new IllegalStateException("byte " + offset + " of " + file + " is already locked by this JVM");
        }
        try {
            FileLock lock = channel.tryLock(offset, 1, shared);
            if (lock == null) {
                return false;
            }
            held.put(offset, lock);
            return true;
        } catch (IOException e) {
            throw new HostsyncException("Could not lock byte " + offset + " of " + file + ": " + e, e);
        }
    }

    @Override
    public synchronized void unlock(long offset) {
        FileLock lock = held.remove(offset);
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException e) {
                throw new HostsyncException("Could not unlock byte " + offset + " of " + file + ": " + e, e);
            }
        }
    }

    /** Not atomic: released, then taken shared, waiting if a writer of another process got in between. */
    @Override
    public void downgrade(long offset) {
        unlock(offset);
        lockShared(offset);
    }

    /** FileChannel has no "test" call: a momentary exclusive lock, released at once, tells. */
    @Override
    public synchronized boolean heldByOthers(long offset) {
        if (!tryLock(offset, false)) {
            return true;
        }
        unlock(offset);
        return false;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the locks go with the channel
        }
    }
}

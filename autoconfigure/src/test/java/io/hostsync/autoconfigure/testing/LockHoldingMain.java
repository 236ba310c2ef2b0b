package io.hostsync.autoconfigure.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;

import io.hostsync.RWLock;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;

/**
 * The main class of {@link OtherProcess}: opens a region with default settings, takes a lock,
 * prints {@value #HOLDING}, and holds the lock until its standard input closes or it is killed.
 * Arguments: directory, region name, lock name, {@code read} or {@code write}.
 */
public final class LockHoldingMain {

    /** Printed once the lock is held. */
    public static final String HOLDING = "HOLDING";

    private LockHoldingMain() {
    }

    /**
     * Runs the process.
     *
     * @param args directory, region, lock, mode
     * @throws IOException if standard input fails
     */
    public static void main(String[] args) throws IOException {
        try (SharedRegion region = SharedRegion
                .open(RegionOptions.builder(args[1]).directory(Path.of(args[0])).build())) {
            RWLock rwLock = region.lock(args[2]);
            Lock lock = "write".equals(args[3]) ? rwLock.writeLock() : rwLock.readLock();
            lock.lock();
            System.out.println(HOLDING);
            System.out.flush();
            InputStream input = System.in;
            while (input.read() >= 0) {
                // Holds until the test closes our input.
            }
            lock.unlock();
        }
    }
}

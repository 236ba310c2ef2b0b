package io.hostsync.docs;

import io.hostsync.RWLock;
import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;

/**
 * Another process for the examples' tests: holds one lock of a region until told to release it,
 * or until it is killed. Arguments: directory, region name, lock name, {@code read} or
 * {@code write}, and optionally a key: then the lock is the keyed lock of that key, in the family
 * the lock name names.
 *
 * <p>Protocol: prints {@code HOLDING} once it holds the lock; on the input line {@code release}
 * releases it and prints {@code RELEASED}; exits when its input closes.
 */
public final class LockHoldingProcess {

    private LockHoldingProcess() {
    }

    /**
     * Runs the process.
     *
     * @param args directory, region name, lock name, mode, and optionally a key
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        RegionOptions options = RegionOptions.builder(args[1]).directory(Path.of(args[0])).build();
        try (SharedRegion region = SharedRegion.open(options)) {
            RWLock lock = args.length > 4 ? region.lock(args[2], args[4]) : region.lock(args[2]);
            Lock held = "read".equals(args[3]) ? lock.readLock() : lock.writeLock();
            held.lock();
            System.out.println("HOLDING");
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            boolean holding = true;
            while ((line = input.readLine()) != null) {
                if (holding && line.equals("release")) {
                    held.unlock();
                    holding = false;
                    System.out.println("RELEASED");
                }
            }
            if (holding) {
                held.unlock();
            }
        }
    }
}

package io.hostsync;

import java.nio.file.Path;

/**
 * Opens a region in its own JVM, tries its default write lock once without waiting and prints
 * {@code TRIED acquired=<true|false>}. Arguments: directory, region name, backend.
 */
public final class TryWriteProbe {

    private TryWriteProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args directory, name, backend
     */
    public static void main(String[] args) {
        try (SharedRegion region = SharedRegion.open(RegionOptions.builder(args[1]).directory(Path.of(args[0]))
                .backend(Backend.fromConfigName(args[2])).build())) {
            boolean acquired = region.lock().writeLock().tryLock();
            System.out.println("TRIED acquired=" + acquired);
            if (acquired) {
                region.lock().writeLock().unlock();
            }
        }
    }
}

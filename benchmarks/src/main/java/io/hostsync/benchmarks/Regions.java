package io.hostsync.benchmarks;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;

/** Regions with names of their own ({@code bench-<random>}), deleted when the benchmark ends. */
final class Regions {

    private Regions() {
    }

    /** @return {@code bench-<random>} */
    static String uniqueName() {
        return "bench-" + Channel.random();
    }

    /** @return the options of the region called {@code name}, everything else at its default */
    static RegionOptions options(String name) {
        return RegionOptions.builder(name).build();
    }

    /**
     * Closes the region and deletes its file from {@code /dev/shm}. Call it after every other
     * process that had it open has exited.
     *
     * @param region the region, or {@code null} if it was never opened
     */
    static void closeAndDelete(SharedRegion region) {
        if (region != null) {
            RegionOptions options = region.options();
            region.close();
            SharedRegion.delete(options);
        }
    }
}

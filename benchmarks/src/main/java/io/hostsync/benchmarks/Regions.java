package io.hostsync.benchmarks;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;

/** Regions with names of their own ({@code bench-<random>}), deleted when the benchmark ends. */
final class Regions {

    /** The lock backend of a region opened without naming one. */
    static final String DEFAULT_BACKEND = "robust";

    private Regions() {
    }

    /** @return {@code bench-<random>} */
    static String uniqueName() {
        return "bench-" + Channel.random();
    }

    /** @return the options of the region called {@code name}, everything else at its default */
    static RegionOptions options(String name) {
        return options(name, DEFAULT_BACKEND);
    }

    /**
     * The one place where a benchmark turns a backend name ({@link HostsyncBackend#backend}) into
     * region options: the benchmark's own region and its partner processes' all come from here,
     * so that they agree.
     *
     * @param name the region name
     * @param backend {@code robust}, {@code posix} or {@code file}
     * @return the options of the region, with that backend
     * @throws IllegalArgumentException for a backend this build cannot open
     */
    static RegionOptions options(String name, String backend) {
        return RegionOptions.builder(name).backend(io.hostsync.Backend.fromConfigName(backend)).build();
    }

    /**
     * Opens (creating it) the region called {@code name} with a lock backend.
     *
     * @param name the region name
     * @param backend the backend, see {@link #options(String, String)}
     * @return the open region
     */
    static SharedRegion open(String name, String backend) {
        return SharedRegion.open(options(name, backend));
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

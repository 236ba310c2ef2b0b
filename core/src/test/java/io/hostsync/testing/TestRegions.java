package io.hostsync.testing;

import io.hostsync.RegionOptions;
import io.hostsync.SharedRegion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands out region names unique to one test in {@code /dev/shm} (or another directory), and
 * deletes those regions after the test, so that runs never see each other's regions.
 */
public final class TestRegions implements AfterEachCallback {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<RegionOptions> created = new ArrayList<>();

    /**
     * Returns a name unique to this test run, and remembers it for deletion.
     *
     * @param base a readable part of the name
     * @return for example {@code test-1a2b3c4d-orders}
     */
    public String name(String base) {
        String name = "test-" + run + "-" + base;
        created.add(RegionOptions.builder(name).build());
        return name;
    }

    /**
     * Returns options for a unique region name in {@code directory}.
     *
     * @param base a readable part of the name
     * @param directory where the region lives
     * @return a builder to complete
     */
    public RegionOptions.Builder options(String base, Path directory) {
        String name = "test-" + run + "-" + base;
        created.add(RegionOptions.builder(name).directory(directory).build());
        return RegionOptions.builder(name).directory(directory);
    }

    /**
     * Returns options for a unique region name in {@code /dev/shm}.
     *
     * @param base a readable part of the name
     * @return a builder to complete
     */
    public RegionOptions.Builder options(String base) {
        return options(base, RegionOptions.DEFAULT_DIRECTORY);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (RegionOptions options : created) {
            try {
                SharedRegion.delete(options);
            } catch (RuntimeException e) {
                // left for the test's own assertions; a region still in use or foreign is not ours to force
                try {
                    java.nio.file.Files.deleteIfExists(options.file());
                } catch (java.io.IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }
}

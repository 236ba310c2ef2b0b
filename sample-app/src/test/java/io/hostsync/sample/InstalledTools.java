package io.hostsync.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests that need a program installed from Debian's packages (chromium, chromedriver, prometheus)
 * skip on a developer's machine without it, with a message saying what to install, but fail in
 * CI ({@code CI=true}), where they must run: as {@code io.hostsync.testing.Root} does for root.
 */
final class InstalledTools {

    private InstalledTools() {
    }

    /**
     * Skips the test unless every program is installed; in CI, fails instead.
     *
     * @param install the command that installs them, for the message
     * @param programs the programs' absolute paths
     */
    static void require(String install, String... programs) {
        List<String> missing = Arrays.stream(programs).filter((program) -> !Files.isExecutable(Path.of(program)))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        String message = "This test needs " + String.join(" and ", missing) + ": install with '" + install + "'";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + ". CI must run it.");
        }
        assumeTrue(false, message + "; skipped here.");
    }
}

package io.hostsync.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests that need root (mounting a tmpfs, {@code unshare}, changing a file's owner) skip on a
 * developer's machine without it, with a message, but fail in CI, where they must run.
 */
public final class Root {

    private Root() {
    }

    /** Skips the test unless this process runs as root; in CI ({@code CI=true}), fails instead. */
    public static void require() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("This test needs root, and CI must run it: run CI as root");
        }
        assumeTrue(root, "This test needs root (tmpfs mounts, unshare, chown); it is skipped for user "
                + System.getProperty("user.name"));
    }
}

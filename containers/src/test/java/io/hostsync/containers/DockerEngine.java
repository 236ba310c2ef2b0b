package io.hostsync.containers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.testcontainers.DockerClientFactory;

/**
 * The Docker engine the tests run their containers on. Without one (a laptop with no Docker),
 * the tests are skipped with a message; in CI ({@code CI=true}) they fail instead, because CI
 * must run them.
 */
final class DockerEngine {

    private static Boolean available;

    private DockerEngine() {
    }

    /** Skips the test unless a Docker engine answers; in CI, fails instead. */
    static synchronized void require() {
        if (available == null) {
            available = answers();
        }
        require(available, System.getenv("CI"));
    }

    /**
     * Skips the test, or fails it in CI, unless an engine is available.
     *
     * @param available whether a Docker engine answers
     * @param ci the value of the environment variable {@code CI}
     */
    static void require(boolean available, String ci) {
        String message = "No Docker engine answers (Testcontainers looked at DOCKER_HOST and /var/run/docker.sock)."
                + " These tests run containers: install and start one (Debian: apt-get install docker.io, then dockerd).";
        if (!available && "true".equalsIgnoreCase(ci)) {
            throw new AssertionError(message + " CI (CI=true) must run them, so this is a failure, not a skip.");
        }
        assumeTrue(available, message + " Skipped.");
    }

    private static boolean answers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException ex) {
            return false;
        }
    }
}

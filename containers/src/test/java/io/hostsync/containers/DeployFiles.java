package io.hostsync.containers;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the deployment examples ({@code containers/deploy}) and the guide that shows them
 * ({@code docs/deployment.md}) are: found from the module directory, which is the working
 * directory of the tests under Maven.
 */
final class DeployFiles {

    private DeployFiles() {
    }

    /**
     * Returns a file of {@code containers/deploy}.
     *
     * @param name the file name
     * @return its path
     * @throws IllegalStateException if it does not exist
     */
    static Path path(String name) {
        return existing(moduleDirectory().resolve("deploy").resolve(name));
    }

    /**
     * Returns {@code docs/deployment.md}.
     *
     * @return its path
     */
    static Path guide() {
        return existing(moduleDirectory().resolveSibling("docs").resolve("deployment.md"));
    }

    private static Path moduleDirectory() {
        return Path.of(System.getProperty("hostsync.containers.module", "")).toAbsolutePath();
    }

    private static Path existing(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " does not exist: run the tests from the containers module"
                    + " (./mvnw -pl containers -am verify), or set -Dhostsync.containers.module to its directory");
        }
        return path;
    }
}

package io.hostsync.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A small tmpfs mounted by a test, to fill up or make read-only. Needs root. */
public final class Tmpfs implements AutoCloseable {

    private final Path directory;

    private Tmpfs(Path directory) {
        this.directory = directory;
    }

    /**
     * Mounts a new tmpfs.
     *
     * @param options tmpfs mount options, for example {@code size=64k} or {@code size=1m,ro}
     * @return the mount, unmounted by {@link #close()}
     */
    public static Tmpfs mount(String options) {
        Root.require();
        try {
            Path directory = Files.createTempDirectory("hostsync-tmpfs-");
            run(List.of("mount", "-t", "tmpfs", "-o", options, "hostsync-test", directory.toString()));
            return new Tmpfs(directory);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the mount point */
    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        run(List.of("umount", "-l", directory.toString()));
        try {
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    /**
     * Runs a command and fails with its output unless it succeeds.
     *
     * @param command the command
     */
    public static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(command + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

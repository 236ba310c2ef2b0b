package io.hostsync.autoconfigure.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM on this host that holds a hostsync lock, so that tests can show host-wide figures
 * and what happens when a holder is killed. Started with this JVM's class path.
 */
public final class OtherProcess implements AutoCloseable {

    private final Process process;

    private OtherProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts a process that opens a region with default settings and holds one of its locks.
     *
     * @param directory the region directory
     * @param region the region name
     * @param lock the lock name
     * @param mode {@code read} or {@code write}
     * @return the process, once it holds the lock
     * @throws Exception if it fails to start or to take the lock within 30 seconds
     */
    public static OtherProcess holding(Path directory, String region, String lock, String mode) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LockHoldingMain.class.getName(),
                directory.toString(), region, lock, mode));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        OtherProcess other = new OtherProcess(process);
        BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return output.readLine();
                } catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }).get(30, TimeUnit.SECONDS);
            if (!LockHoldingMain.HOLDING.equals(line)) {
                throw new IllegalStateException("The other process printed '" + line + "' instead of holding the lock");
            }
        } catch (Exception ex) {
            other.close();
            throw ex;
        }
        return other;
    }

    /**
     * Returns the process id.
     *
     * @return the pid
     */
    public long pid() {
        return this.process.pid();
    }

    /**
     * Kills the process with SIGKILL, holding its lock, and waits for it to be gone.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void kill() throws InterruptedException {
        this.process.destroyForcibly();
        this.process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Lets the process release its lock and end, and waits for it.
     *
     * @throws Exception if it does not end within 30 seconds
     */
    public void release() throws Exception {
        this.process.getOutputStream().close();
        if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The other process did not end");
        }
    }

    @Override
    public void close() {
        this.process.destroyForcibly();
    }
}

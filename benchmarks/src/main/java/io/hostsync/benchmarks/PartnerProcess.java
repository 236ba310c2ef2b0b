package io.hostsync.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running {@link Partner}: the java of {@code java.home}, the class path of this JVM
 * ({@code java.class.path}: the benchmarks jar inside a JMH fork). Its standard error goes to
 * ours, so a failure shows in the JMH output; closing it closes its standard input, which tells
 * it to stop.
 */
final class PartnerProcess implements AutoCloseable {

    private static final String END = "\u0000end";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final long tid;

    private PartnerProcess(Process process) {
        this.process = process;
        Thread pump = new Thread(this::pump, "partner-output");
        pump.setDaemon(true);
        pump.start();
        String ready = awaitLine("ready ", Duration.ofSeconds(60));
        this.tid = Long.parseLong(ready.substring("ready ".length()).trim());
    }

    /**
     * Starts the partner and waits until it is ready.
     *
     * @param args the partner's mode and arguments
     * @return the running partner
     */
    static PartnerProcess start(String... args) {
        return start(List.of(args));
    }

    /**
     * Starts the partner and waits until it is ready.
     *
     * @param args the partner's mode and arguments
     * @return the running partner
     */
    static PartnerProcess start(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A fixed heap, large enough for a Redisson client with its Netty buffers.
        command.add("-Xms128m");
        command.add("-Xmx128m");
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        // The module options this JVM was given, and Chronicle Map's settings (its --add-opens and --add-exports, no analytics).
        for (String argument : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports")
                    || argument.startsWith("-Dchronicle.")) {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Partner.class.getName());
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new PartnerProcess(process);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
    }

    /** @return the partner's process id */
    long pid() {
        return process.pid();
    }

    /** @return the Linux thread id of the partner's working thread */
    long tid() {
        return tid;
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process went away
        } finally {
            lines.add(END);
        }
    }

    /**
     * Waits for the next output line that starts with {@code prefix}.
     *
     * @return the line
     * @throws IllegalStateException if the partner exits or the time runs out first
     */
    String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals(END)) {
                    if (line != null) {
                        lines.add(END);
                    }
                    throw new IllegalStateException("The partner process printed no '" + prefix + "' line"
                            + (line == null ? " within " + timeout : " before it ended") + " (its stderr is above)");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Closes the partner's standard input and waits for it to exit (killing it after 30 s).
     * Returns the partner's {@code done} line, or {@code null} if there was none.
     */
    String stop() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        String done = null;
        try {
            done = awaitLine("done", Duration.ofSeconds(30));
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return done;
    }

    /** Sends the partner SIGKILL ({@link Process#destroyForcibly()} on Linux) and returns at once. */
    void kill() {
        process.destroyForcibly();
    }

    /** Waits (at most 30 s) until the partner has exited, after {@link #kill()}. */
    void awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Partner process " + pid() + " did not exit within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }
}

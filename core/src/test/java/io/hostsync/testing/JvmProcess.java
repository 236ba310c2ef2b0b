package io.hostsync.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real JVM started by a test, running a main class from the test's class path, driven line by
 * line through its standard input and output. Optionally started under a prefix command such as
 * {@code unshare --pid --fork --mount-proc}, to put it in its own PID namespace.
 */
public final class JvmProcess implements AutoCloseable {

    private static final String END_OF_OUTPUT = "\u0000EOF";

    private final Process process;
    private final PrintWriter input;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path errors;
    private final String description;

    private JvmProcess(Process process, Path errors, String description) {
        this.process = process;
        this.errors = errors;
        this.description = description;
        this.input = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pump, "output of " + description);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a JVM running {@code mainClass} with this JVM's class path.
     *
     * @param prefix a command to run the JVM under, or an empty list
     * @param mainClass the class whose main method to run
     * @param args its arguments
     * @return the started process
     */
    public static JvmProcess start(List<String> prefix, Class<?> mainClass, String... args) {
        return start(prefix, entry -> true, mainClass, args);
    }

    /**
     * Starts a JVM running {@code mainClass} with the entries of this JVM's class path that
     * {@code keep} accepts.
     *
     * @param prefix a command to run the JVM under, or an empty list
     * @param keep which class path entries the child gets
     * @param mainClass the class whose main method to run
     * @param args its arguments
     * @return the started process
     */
    public static JvmProcess start(List<String> prefix, java.util.function.Predicate<String> keep, Class<?> mainClass,
            String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xmx64m");
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        if (io.hostsync.internal.os.Platform.portable()) {
            command.add("-D" + io.hostsync.internal.os.Platform.PORTABLE_PROPERTY + "=true"); // the same region layer
        }
        command.add("-cp");
        command.add(java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(keep).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Path errors = Files.createTempFile("hostsync-child-", ".stderr");
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            return new JvmProcess(process, errors, mainClass.getSimpleName() + " " + String.join(" ", args));
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + command, e);
        }
    }

    /**
     * Starts a JVM in its own PID namespace, where it is PID 1, as in a container.
     *
     * @param mainClass the class whose main method to run
     * @param args its arguments
     * @return the started process
     */
    public static JvmProcess startInPidNamespace(Class<?> mainClass, String... args) {
        return start(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child"), mainClass, args);
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
            lines.add(END_OF_OUTPUT);
        }
    }

    /**
     * Sends one line to the process's standard input.
     *
     * @param line the line
     */
    public void send(String line) {
        input.println(line);
    }

    /**
     * Waits for the next line of output that starts with {@code prefix}, skipping others.
     *
     * @param prefix the expected start
     * @param timeout how long to wait
     * @return the line
     * @throws AssertionError if the process ends, prints a {@code FAILED ...} line or the time runs
     *     out first
     */
    public String expect(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("No line starting with '" + prefix + "' from " + description + " within "
                            + timeout + "; its stderr: " + errors());
                }
                if (line.equals(END_OF_OUTPUT)) {
                    lines.add(END_OF_OUTPUT);
                    throw new AssertionError("Process " + description + " ended before printing '" + prefix
                            + "'; its stderr: " + errors());
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
                if (line.startsWith("FAILED ")) { // RegionProbe's report of an exception: no point waiting on
                    throw new AssertionError("Process " + description + " printed '" + line + "' while a line starting"
                            + " with '" + prefix + "' was expected; its stderr: " + errors());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Returns the pid of the JVM as the host sees it, looking through a prefix command such as
     * {@code unshare} to its child.
     *
     * @return the host pid of the java process
     */
    public long javaPid() {
        ProcessHandle handle = process.toHandle();
        for (int attempt = 0; attempt < 1000; attempt++) {
            String command = handle.info().command().orElse("");
            if (command.endsWith("/java")) {
                return handle.pid();
            }
            ProcessHandle next = handle.children().findFirst().orElse(null);
            if (next != null) {
                handle = next;
            } else {
                sleepBriefly();
            }
        }
        throw new AssertionError("No java process under " + process.pid());
    }

    /**
     * Kills the JVM with SIGKILL, the way the kernel's OOM killer or {@code kill -9} does, and
     * waits until it is gone.
     */
    public void kill() {
        long pid = javaPid();
        ProcessHandle java = ProcessHandle.of(pid).orElseThrow();
        java.destroyForcibly();
        java.onExit().join();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the process to exit on its own.
     *
     * @param timeout how long to wait
     * @return its exit code
     */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(description + " did not exit within " + timeout + "; its stderr: " + errors());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** @return what the process wrote to its standard error so far */
    public String errors() {
        try {
            return Files.readString(errors);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Ends the process if it still runs (closing its input first, then killing it). */
    @Override
    public void close() {
        input.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(errors);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

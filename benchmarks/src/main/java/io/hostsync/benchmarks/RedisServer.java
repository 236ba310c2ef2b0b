package io.hostsync.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} of the machine's own (Debian's package), started for one benchmark
 * trial on a free loopback port, with no persistence (no RDB snapshots, no append-only file)
 * and its working directory in a temporary folder, and stopped at the end.
 */
final class RedisServer implements AutoCloseable {

    /** System property naming the {@code redis-server} executable, if it is not on the PATH. */
    static final String EXECUTABLE_PROPERTY = "hostsync.bench.redis-server";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path directory;

    private RedisServer(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /**
     * Finds the {@code redis-server} executable: the {@value #EXECUTABLE_PROPERTY} system
     * property, else the PATH.
     *
     * @return the executable
     * @throws IllegalStateException naming how to install it or to leave the Redisson benchmarks out
     */
    static Path executable() {
        String configured = System.getProperty(EXECUTABLE_PROPERTY);
        if (configured != null) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(
                        "-D" + EXECUTABLE_PROPERTY + "=" + configured + " is not an executable file");
            }
            return path;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-server is not on the PATH (" + path + "); the Redisson benchmarks start"
                + " their own. Install it (Debian: apt-get install -y redis-server), point -D" + EXECUTABLE_PROPERTY
                + " at it, or leave the Redisson benchmarks out with -e redisson");
    }

    /**
     * Starts a server on a free loopback port and waits until it answers {@code PING}.
     *
     * @return the running server
     */
    static RedisServer start() {
        Path executable = executable();
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            // Another process may take the port between our probe and the server's bind: try again.
            try {
                return start(executable, freeLoopbackPort());
            } catch (IllegalStateException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    private static RedisServer start(Path executable, int port) {
        Path directory;
        try {
            directory = Files.createTempDirectory("hostsync-bench-redis");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a working directory for redis-server", e);
        }
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--protected-mode", "yes",
                "--save", "",
                "--appendonly", "no",
                "--dir", directory.toString(),
                "--daemonize", "no",
                "--loglevel", "warning"));
        Path log = directory.resolve("redis.log");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            deleteRecursively(directory);
            throw new IllegalStateException("Could not start " + String.join(" ", command), e);
        }
        RedisServer server = new RedisServer(process, port, directory);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!server.answersPing()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                String output = readQuietly(log);
                server.close();
                throw new IllegalStateException("redis-server on 127.0.0.1:" + port + " did not answer PING within "
                        + START_TIMEOUT + " (" + String.join(" ", command) + "); its output: " + output.strip());
            }
            sleepMillis(20);
        }
        return server;
    }

    /** @return the loopback port the server listens on */
    int port() {
        return port;
    }

    /** @return the server's address for a Redis client, {@code redis://127.0.0.1:<port>} */
    String address() {
        return "redis://127.0.0.1:" + port;
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[7];
            int length = in.readNBytes(answer, 0, answer.length);
            return new String(answer, 0, length, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server (SIGTERM: with no persistence configured it exits at once) and deletes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteRecursively(directory);
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free loopback port for redis-server", e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("Could not delete " + directory + ": " + e.getMessage());
        }
    }
}

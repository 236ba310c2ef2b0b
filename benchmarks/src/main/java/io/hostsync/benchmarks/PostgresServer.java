package io.hostsync.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the machine's own binaries (Debian's {@code postgresql-15} package),
 * created with {@code initdb} in a temporary folder for one benchmark trial, started with
 * {@code pg_ctl} on a free loopback port with trust authentication and {@code fsync=off} (like
 * {@link RedisServer}, no durability: the benchmark measures the lock protocol, not the disk), and
 * stopped and deleted at the end. PostgreSQL refuses to run as root: as root, every command runs
 * as the {@code postgres} user ({@code runuser}), which owns the folder.
 */
final class PostgresServer implements AutoCloseable {

    /** System property naming the folder of {@code initdb} and {@code pg_ctl}, if not Debian's PostgreSQL 15. */
    static final String BIN_PROPERTY = "hostsync.bench.postgres-bin";

    private static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    private static final int START_ATTEMPTS = 3;

    private final Path bin;

    private final Path directory;

    private final int port;

    /** Stops the server if the JVM exits without {@link #close()} (a failed trial), so that none is left running. */
    private final Thread shutdownHook = new Thread(this::stopAndDelete, "postgres-server-stop");

    private PostgresServer(Path bin, Path directory, int port) {
        this.bin = bin;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Finds the folder of {@code initdb} and {@code pg_ctl}: the {@value #BIN_PROPERTY} system
     * property, else {@code /usr/lib/postgresql/15/bin}.
     *
     * @return the folder
     * @throws IllegalStateException naming how to install PostgreSQL or to leave the jdbc engine out
     */
    static Path bin() {
        String configured = System.getProperty(BIN_PROPERTY);
        Path bin = (configured != null) ? Path.of(configured) : DEFAULT_BIN;
        if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
            throw new IllegalStateException("There is no initdb and pg_ctl in " + bin + "; CohortLockBenchmark's"
                    + " engine=jdbc starts its own PostgreSQL. Install it (Debian: apt-get install -y postgresql-15),"
                    + " point -D" + BIN_PROPERTY + " at its bin folder, or run with -p engine=redis");
        }
        return bin;
    }

    /**
     * Creates a cluster and starts it on a free loopback port.
     *
     * @return the running server, its superuser {@code postgres} and database {@code postgres}
     */
    static PostgresServer start() {
        Path bin = bin();
        Path directory;
        try {
            directory = Files.createTempDirectory("hostsync-bench-postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a folder for the PostgreSQL cluster", e);
        }
        try {
            if (isRoot()) {
                run(List.of("chown", "postgres:postgres", directory.toString()));
            }
            run(List.of("chmod", "700", directory.toString()));
            run(asOwner(bin.resolve("initdb").toString(), "-D", directory.resolve("data").toString(), "-A", "trust",
                    "-U", "postgres", "-E", "UTF8", "--no-sync"));
        } catch (RuntimeException e) {
            deleteRecursively(directory);
            throw e;
        }
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            // Another process may take the port between our probe and the server's bind: try again.
            PostgresServer server = new PostgresServer(bin, directory, freeLoopbackPort());
            try {
                run(asOwner(bin.resolve("pg_ctl").toString(), "-D", directory.resolve("data").toString(), "-l",
                        directory.resolve("server.log").toString(), "-o",
                        "-p " + server.port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off",
                        "-w", "-t", "60", "start"));
                Runtime.getRuntime().addShutdownHook(server.shutdownHook);
                return server;
            } catch (IllegalStateException e) {
                server.stop();
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        deleteRecursively(directory);
        throw failure;
    }

    /** @return the JDBC URL of database {@code postgres} as user {@code postgres} */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres?user=postgres";
    }

    /** Stops the server ({@code pg_ctl stop -m immediate}: nothing to keep) and deletes its cluster. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs too, and finds nothing left to do
        }
        stopAndDelete();
    }

    private synchronized void stopAndDelete() {
        stop();
        if (Files.exists(this.directory)) {
            deleteRecursively(this.directory);
        }
    }

    private void stop() {
        if (!Files.exists(this.directory.resolve("data").resolve("postmaster.pid"))) {
            return;
        }
        try {
            run(asOwner(this.bin.resolve("pg_ctl").toString(), "-D", this.directory.resolve("data").toString(), "-m",
                    "immediate", "-w", "-t", "60", "stop"));
        } catch (RuntimeException e) {
            System.err.println("Could not stop PostgreSQL in " + this.directory + ": " + e.getMessage());
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asOwner(String... command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static void run(List<String> command) {
        Path log = null;
        try {
            log = Files.createTempFile("hostsync-bench-postgres-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "): " + Files.readString(log).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free loopback port for PostgreSQL", e);
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

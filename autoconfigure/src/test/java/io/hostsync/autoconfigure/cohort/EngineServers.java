package io.hostsync.autoconfigure.cohort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Starts the real lock engines the cohort tests run against, on free loopback ports: a
 * {@code redis-server} (Debian's package) and a PostgreSQL 15 cluster (Debian's package, run as the
 * {@code postgres} user since PostgreSQL refuses root). Without them a test is skipped, except
 * with {@code CI=true}, where it fails: CI must have them ({@code .ci/run} installs them).
 */
final class EngineServers {

    static final Path POSTGRES_BIN = Path.of("/usr/lib/postgresql/15/bin");

    private EngineServers() {
    }

    static void require(boolean present, String what) {
        String message = what + " is not installed. Install it (Debian: apt-get install -y redis-server postgresql)"
                + " or run .ci/run, which does.";
        if ("true".equals(System.getenv("CI"))) {
            if (!present) {
                throw new AssertionError(message + " CI=true: the cohort lock tests must run against real engines.");
            }
        }
        Assumptions.assumeTrue(present, message);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static void run(List<String> command) {
        try {
            Path log = Files.createTempFile("hostsync-engine-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new AssertionError(command + " failed: " + Files.readString(log));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** A redis-server with an append-only file synced at every write, so that a restart keeps the leases. */
    static final class Redis implements AutoCloseable {

        final int port = freePort();

        final Path directory;

        private Process process;

        Redis() throws IOException {
            require(Files.isExecutable(Path.of("/usr/bin/redis-server")), "redis-server (/usr/bin/redis-server)");
            this.directory = Files.createTempDirectory("hostsync-redis-");
            start();
        }

        void start() throws IOException {
            List<String> command = new ArrayList<>(List.of("/usr/bin/redis-server", "--port", String.valueOf(this.port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir",
                    this.directory.toString(), "--daemonize", "no"));
            this.process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(this.directory.resolve("redis.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), this.port)) {
                    return;
                } catch (IOException ex) {
                    sleep(50);
                }
            }
            throw new AssertionError("redis-server did not start on port " + this.port + ": "
                    + Files.readString(this.directory.resolve("redis.log")));
        }

        /** Kills the server with SIGKILL, as a crash does. */
        void kill() throws InterruptedException {
            this.process.destroyForcibly();
            this.process.waitFor(30, TimeUnit.SECONDS);
        }

        String endpoint() {
            return "127.0.0.1:" + this.port;
        }

        @Override
        public void close() throws InterruptedException {
            kill();
            delete(this.directory);
        }
    }

    /** A PostgreSQL 15 cluster of its own, with trust authentication on loopback. */
    static final class Postgres implements AutoCloseable {

        final int port = freePort();

        final Path directory;

        Postgres() throws IOException {
            require(Files.isExecutable(POSTGRES_BIN.resolve("initdb")), "PostgreSQL 15 (" + POSTGRES_BIN + ")");
            this.directory = Files.createTempDirectory("hostsync-postgres-");
            run(List.of("chown", "postgres:postgres", this.directory.toString()));
            run(List.of("chmod", "700", this.directory.toString()));
            run(List.of("runuser", "-u", "postgres", "--", POSTGRES_BIN.resolve("initdb").toString(), "-D",
                    this.directory.resolve("data").toString(), "-A", "trust", "-U", "postgres", "--no-sync"));
            start();
        }

        void start() {
            run(List.of("runuser", "-u", "postgres", "--", POSTGRES_BIN.resolve("pg_ctl").toString(), "-D",
                    this.directory.resolve("data").toString(), "-l", this.directory.resolve("server.log").toString(),
                    "-o", "-p " + this.port + " -k " + this.directory + " -c listen_addresses=127.0.0.1 -c fsync=off",
                    "-w", "-t", "60", "start"));
        }

        /** Stops the server at once, without a checkpoint, as a crash does; its restart recovers from the WAL. */
        void stopImmediately() {
            run(List.of("runuser", "-u", "postgres", "--", POSTGRES_BIN.resolve("pg_ctl").toString(), "-D",
                    this.directory.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        }

        String endpoint() {
            return "jdbc:postgresql://127.0.0.1:" + this.port
                    + "/postgres?user=postgres&connectTimeout=2&socketTimeout=10";
        }

        @Override
        public void close() {
            stopImmediately();
            delete(this.directory);
        }
    }

    static void delete(Path directory) {
        try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
        } catch (IOException ex) {
            // a temporary directory left behind
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}

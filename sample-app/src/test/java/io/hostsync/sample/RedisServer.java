package io.hostsync.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's package) on a free loopback port, with an append-only file
 * synced at every write as docs/scaling-out.md asks of a Redis that keeps leases: as the cohort
 * lock tests of the autoconfigure module start it. Without it the test is skipped, except in CI,
 * where it fails ({@link InstalledTools}).
 */
final class RedisServer implements AutoCloseable {

    static final String PROGRAM = "/usr/bin/redis-server";

    final int port;

    private final Path directory;

    private final Process process;

    RedisServer() throws IOException {
        InstalledTools.require("apt-get install -y redis-server", PROGRAM);
        this.port = freePort();
        this.directory = Files.createTempDirectory("hostsync-sample-redis-");
        this.process = new ProcessBuilder(PROGRAM, "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", this.directory.toString(),
                "--daemonize", "no").redirectErrorStream(true)
                .redirectOutput(this.directory.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
                return;
            } catch (IOException ex) {
                pause();
            }
        }
        close();
        throw new AssertionError("redis-server did not start on port " + this.port + " within 20 s");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Kills the server and deletes its directory. */
    @Override
    public void close() {
        this.process.destroyForcibly();
        try {
            this.process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        delete(this.directory);
    }

    static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> all = files.sorted(Comparator.reverseOrder()).toList();
            for (Path file : all) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Could not delete " + directory, ex);
        }
    }
}

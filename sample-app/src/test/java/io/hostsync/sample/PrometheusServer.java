package io.hostsync.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on a free loopback port, with a given
 * configuration and a throwaway database, queried through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {

    static final String BINARY = "/usr/bin/prometheus";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Process process;

    private final int port;

    private final Path log;

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts Prometheus and waits until it is ready.
     *
     * @param configuration the contents of its configuration file
     * @param directory where to keep the configuration, the database and the log
     * @return the ready server
     * @throws IOException if its files cannot be written
     */
    static PrometheusServer start(String configuration, Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("prometheus.yml"), configuration);
        Path log = directory.resolve("prometheus.log");
        int port = freeLoopbackPort();
        Process process = new ProcessBuilder(BINARY, "--config.file=" + file,
                "--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, port, log);
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("Prometheus exited with " + process.exitValue() + ": " + server.log());
                }
                return server.get("/-/ready").statusCode() == 200;
            });
            return server;
        } catch (RuntimeException | AssertionError ex) {
            server.close();
            throw new AssertionError("Prometheus did not become ready: " + server.log(), ex);
        }
    }

    /**
     * Evaluates a PromQL expression now.
     *
     * @param promql the expression
     * @return the answer's {@code data.result}: one entry per series, each with its {@code value}
     */
    List<Object> query(String promql) {
        DocumentContext answer = json("/api/v1/query?query=" + encode(promql));
        return answer.read("$.data.result");
    }

    /**
     * Finds the series that match a selector.
     *
     * @param selector such as {@code hostsync_region_size_bytes{region=~".*"}}
     * @return their label sets
     */
    List<java.util.Map<String, String>> series(String selector) {
        return json("/api/v1/series?match[]=" + encode(selector)).read("$.data");
    }

    private DocumentContext json(String path) {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError(
                    "Prometheus answered " + response.statusCode() + " to " + path + ": " + response.body());
        }
        return JsonPath.parse(response.body());
    }

    private HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            return CLIENT.send(request, BodyHandlers.ofString());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** @return what Prometheus logged so far */
    String log() {
        try {
            return Files.readString(this.log);
        } catch (IOException ex) {
            return "(unreadable: " + ex + ")";
        }
    }

    @Override
    public void close() {
        this.process.destroy();
        try {
            if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
                this.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

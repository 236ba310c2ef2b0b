package io.hostsync.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

/**
 * Real HTTP calls to an instance of the sample on the loopback interface, each bounded in time.
 */
final class Http {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {
    }

    static HttpResponse<String> get(int port, String path) {
        return send(request(port, path).GET().build());
    }

    static CompletableFuture<HttpResponse<String>> getAsync(int port, String path) {
        return CLIENT.sendAsync(request(port, path).GET().build(), BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path) {
        return send(request(port, path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    static HttpResponse<String> put(int port, String path, String json) {
        return send(putRequest(port, path, json));
    }

    static CompletableFuture<HttpResponse<String>> putAsync(int port, String path, String json) {
        return CLIENT.sendAsync(putRequest(port, path, json), BodyHandlers.ofString());
    }

    /** GETs a JSON document that must be there. */
    static DocumentContext json(int port, String path) {
        HttpResponse<String> response = get(port, path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JsonPath.parse(response.body());
    }

    private static HttpRequest putRequest(int port, String path, String json) {
        return request(port, path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, BodyHandlers.ofString());
        } catch (IOException ex) {
            throw new UncheckedIOException("Could not " + request.method() + " " + request.uri(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + request.method() + " " + request.uri(), ex);
        }
    }
}

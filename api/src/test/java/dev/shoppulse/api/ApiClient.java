package dev.shoppulse.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny HTTP client for API tests: real requests over loopback. */
public final class ApiClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String apiKey;

    public ApiClient(int port) {
        this(port, null);
    }

    /** A client that sends {@code apiKey} in {@code X-Api-Key} (null: none). */
    public ApiClient(int port, String apiKey) {
        this.base = "http://127.0.0.1:" + port;
        this.apiKey = apiKey;
    }

    private HttpRequest.Builder keyed(HttpRequest.Builder b) {
        return apiKey == null ? b : b.header("X-Api-Key", apiKey);
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(
                keyed(HttpRequest.newBuilder(URI.create(base + path)))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                keyed(HttpRequest.newBuilder(URI.create(base + path)))
                        .timeout(Duration.ofSeconds(10))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package dev.shoppulse.api.ratelimit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny HTTP client for the API tests: one call, the response or an exception. */
final class Http {
    static final HttpClient CLIENT =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private Http() {}

    static final String QUOTE_BODY = "{\"sku\":\"sku-1\",\"quantity\":3,\"basePriceCents\":1999}";

    static HttpResponse<String> quote(int port, String apiKey) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/quotes"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(QUOTE_BODY));
        if (apiKey != null) {
            b.header("X-Api-Key", apiKey);
        }
        return send(b.build());
    }

    static HttpResponse<String> get(int port, String path) {
        return get(port, path, null);
    }

    static HttpResponse<String> get(int port, String path, String apiKey) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET();
        if (apiKey != null) {
            b.header("X-Api-Key", apiKey);
        }
        return send(b.build());
    }

    static HttpResponse<String> send(HttpRequest r) {
        try {
            return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.shoppulse.api.http;

import java.util.Map;

/** A request that ends in a problem response; handlers throw it, {@link Api} renders it. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;
    private final Map<String, String> headers;

    public ApiException(int status, String type, String title, String detail) {
        this(status, type, title, detail, Map.of());
    }

    public ApiException(
            int status, String type, String title, String detail, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad-request", "Bad request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not-found", "Not found", detail);
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(503, "unavailable", "Service unavailable", detail);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public Map<String, String> headers() {
        return headers;
    }
}

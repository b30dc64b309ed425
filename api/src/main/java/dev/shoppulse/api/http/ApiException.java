package dev.shoppulse.api.http;

import java.util.Map;

/**
 * A request that ends in a problem response; handlers throw it, {@link Api} renders it. A cause
 * (the failure it wraps) is logged by {@link ProblemErrorHandler} and never shown to the client.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;
    private final Map<String, String> headers;

    public ApiException(int status, String type, String title, String detail) {
        this(status, type, title, detail, Map.of(), null);
    }

    public ApiException(
            int status, String type, String title, String detail, Map<String, String> headers) {
        this(status, type, title, detail, headers, null);
    }

    public ApiException(int status, String type, String title, String detail, Throwable cause) {
        this(status, type, title, detail, Map.of(), cause);
    }

    /**
     * @param detail the problem's {@code detail}, shown to the client
     * @param cause what failed, for the log only; null when the request itself is the problem
     */
    public ApiException(
            int status,
            String type,
            String title,
            String detail,
            Map<String, String> headers,
            Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.type = type;
        this.title = title;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String detail) {
        return badRequest(detail, null);
    }

    public static ApiException badRequest(String detail, Throwable cause) {
        return new ApiException(400, "bad-request", "Bad request", detail, cause);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not-found", "Not found", detail);
    }

    public static ApiException unavailable(String detail) {
        return unavailable(detail, null);
    }

    /** 503 because a store we depend on failed with {@code cause}. */
    public static ApiException unavailable(String detail, Throwable cause) {
        return new ApiException(503, "unavailable", "Service unavailable", detail, cause);
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

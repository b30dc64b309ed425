package dev.shoppulse.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}); every error the API returns
 * has one, and none carries a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String CONTENT_TYPE = "application/problem+json";

    /** Problem type URIs are relative to this base and documented in README. */
    public static final String TYPE_BASE = "https://shoppulse.dev/problems/";
}

package dev.shoppulse.api.auth;

import dev.shoppulse.api.http.ApiException;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * API-key authentication for any endpoint: {@link #resolve} (a before-handler) finds the caller
 * from {@code X-Api-Key} or {@code Authorization: Bearer} and remembers it on the request; an
 * endpoint that needs a client calls {@link #require}. Other capabilities reuse it as is, e.g.
 * {@code routes.before("/v1/reports/*", ctx -> ApiKeyAuth.require(ctx))}.
 */
public final class ApiKeyAuth {
    public static final String HEADER = "X-Api-Key";
    private static final String CLIENT = "shoppulse.client";
    private static final String PRESENTED = "shoppulse.key-presented";

    private final ApiKeys keys;

    public ApiKeyAuth(ApiKeys keys) {
        this.keys = keys;
    }

    /** Finds the caller, if it sent a key; never rejects (unknown keys are rejected later). */
    public Optional<Client> resolve(Context ctx) {
        String key = key(ctx);
        if (key == null) {
            return Optional.empty();
        }
        ctx.attribute(PRESENTED, Boolean.TRUE);
        Optional<Client> c = keys.find(key);
        c.ifPresent(client -> ctx.attribute(CLIENT, client));
        return c;
    }

    /** The client {@link #resolve} found for this request. */
    public static Optional<Client> client(Context ctx) {
        return Optional.ofNullable(ctx.attribute(CLIENT));
    }

    /** Whether the request carried a key that matched no client. */
    public static boolean presentedUnknownKey(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(PRESENTED)) && client(ctx).isEmpty();
    }

    /** The client, or 401 problem+json. */
    public static Client require(Context ctx) {
        return client(ctx).orElseThrow(() -> unauthorized(presentedUnknownKey(ctx)));
    }

    public static ApiException unauthorized(boolean unknownKey) {
        return new ApiException(
                401,
                "unauthorized",
                "Unauthorized",
                unknownKey
                        ? "the API key is not valid"
                        : "this endpoint needs an API key in " + HEADER,
                Map.of("WWW-Authenticate", "Bearer realm=\"shoppulse\""));
    }

    private static String key(Context ctx) {
        String k = ctx.header(HEADER);
        if (k == null) {
            String auth = ctx.header("Authorization");
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                k = auth.substring(7).trim();
            }
        }
        return k == null || k.isBlank() ? null : k.trim();
    }
}

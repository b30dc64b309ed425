package dev.shoppulse.api.auth;

import dev.shoppulse.api.http.ApiException;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * API-key authentication: reads the key from {@code X-Api-Key} or {@code Authorization: Bearer},
 * and remembers on the request which client it belongs to. The rate-limit filter decides when a key
 * may cost a database lookup (see {@link ApiKeys#cached}); handlers read the caller with {@link
 * #require}.
 */
public final class ApiKeyAuth {
    public static final String HEADER = "X-Api-Key";
    private static final String CLIENT = "shoppulse.client";
    private static final String PRESENTED = "shoppulse.key-presented";

    /** Longer keys are not ours: refusing them early keeps hashing and logging bounded. */
    static final int MAX_KEY_LENGTH = 256;

    private final ApiKeys keys;

    public ApiKeyAuth(ApiKeys keys) {
        this.keys = keys;
    }

    public ApiKeys keys() {
        return keys;
    }

    /** The key the request carries (marking it as presented), or null. */
    public static String presentedKey(Context ctx) {
        String k = ctx.header(HEADER);
        if (k == null) {
            String auth = ctx.header("Authorization");
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                k = auth.substring(7);
            }
        }
        if (k == null || k.isBlank()) {
            return null;
        }
        ctx.attribute(PRESENTED, Boolean.TRUE);
        k = k.trim();
        return k.length() > MAX_KEY_LENGTH ? "" : k;
    }

    /** Records the caller found for this request. */
    public static void remember(Context ctx, Client client) {
        ctx.attribute(CLIENT, client);
    }

    /** The client found for this request. */
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

    public static ApiException forbidden(Client client, String scope) {
        return new ApiException(
                403,
                "insufficient-scope",
                "Forbidden",
                "client " + client.id() + " lacks the scope '" + scope + "' this endpoint needs",
                Map.of(
                        "WWW-Authenticate",
                        "Bearer realm=\"shoppulse\", error=\"insufficient_scope\", scope=\""
                                + scope
                                + "\""));
    }
}

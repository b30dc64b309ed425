package dev.shoppulse.api.http;

import io.javalin.router.EndpointMetadata;

/**
 * Who may call a route, attached to the route where it is registered and enforced by the rate-limit
 * filter on the route Javalin matched (never on the raw path).
 *
 * @param scope the scope the caller needs, or null when anyone (even anonymous) may call
 * @param rule the documented rule, including any ownership check the handler makes
 * @param expensive whether the route also takes an in-flight slot of the client's tier
 * @param ops whether the limiter only counts the route and never refuses it (health, metrics)
 */
public record Access(String scope, String rule, boolean expensive, boolean ops)
        implements EndpointMetadata {

    /** Anyone, with or without a key. */
    public static Access open(String rule) {
        return new Access(null, rule, false, false);
    }

    /** A client holding {@code scope}; {@code rule} says what else the handler checks. */
    public static Access scope(String scope, String rule) {
        return new Access(scope, rule, false, false);
    }

    public Access asExpensive() {
        return new Access(scope, rule, true, ops);
    }

    public Access asOps() {
        return new Access(scope, rule, expensive, true);
    }

    public boolean isOpen() {
        return scope == null;
    }
}

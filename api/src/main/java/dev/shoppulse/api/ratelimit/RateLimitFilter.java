package dev.shoppulse.api.ratelimit;

import dev.shoppulse.api.auth.ApiKeyAuth;
import dev.shoppulse.api.auth.Client;
import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.api.http.Access;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.api.http.Routes;
import dev.shoppulse.common.events.ApiRequestEvent;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The application-level checks every routed request passes, in order, all keyed on the route
 * Javalin matched (its method and template, never the raw path, so {@code /v1/quotes/} or {@code
 * //v1/quotes} cannot pick another policy than the handler they reach): identify the caller (a key
 * already known, or else the caller's IP pays one anonymous request before an unknown key may cost
 * a database lookup), refuse blocked clients (403), take one request from the caller's allowance
 * and, on expensive routes, one in-flight slot (429 when either is exhausted, 503 when Redis is
 * down and the policy is fail-closed), then check the route's {@link Access} (401 without a key,
 * 403 without the scope). Every response carries {@code RateLimit-Policy} and {@code RateLimit};
 * every routed request ends with one access event.
 */
public final class RateLimitFilter implements Resource {
    public static final String POLICY_HEADER = "RateLimit-Policy";
    public static final String RATELIMIT_HEADER = "RateLimit";
    private static final String STATE = "shoppulse.ratelimit";

    private final ApiKeyAuth auth;
    private final Tiers tiers;
    private final Limiter limiter;
    private final BlockList blockList;
    private final AccessEvents events;
    private final RateLimitMetrics metrics;
    private final Clock clock;

    /** What the filter learnt about one request, for the after-handler. */
    private static final class State {
        final long startNanos = System.nanoTime();
        String route;
        String subject;
        String clientId;
        String tier;
        String decision = "allowed";
        String leaseId;
    }

    /**
     * @param clock the application clock, used only to time-stamp access events
     */
    public RateLimitFilter(
            ApiKeyAuth auth,
            Tiers tiers,
            Limiter limiter,
            BlockList blockList,
            AccessEvents events,
            RateLimitMetrics metrics,
            Clock clock) {
        this.auth = auth;
        this.tiers = tiers;
        this.limiter = limiter;
        this.blockList = blockList;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void routes(Routes routes) {
        routes.beforeMatched(this::before);
        routes.after(this::after);
        routes.get(
                "/metrics/ratelimit",
                Access.scope(Scopes.OPS, "operators only").asOps(),
                ctx -> Api.json(ctx, metrics.snapshot()));
    }

    void before(Context ctx) {
        State st = new State();
        ctx.attribute(STATE, st);
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        Access access = endpoint == null ? null : endpoint.metadata(Access.class);
        if (endpoint == null
                && (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD)) {
            // No endpoint but something matched: a static page of /public (the dashboards).
            // They hold no data (their scripts call the API with the caller's key), so they are
            // open to everyone and charged to the caller's IP like any anonymous request.
            st.route = "GET /public";
            chargeAnonymous(ctx, st, false);
            return;
        }
        if (access == null) {
            // Every route is registered with its access rule; one without is refused, not open.
            st.decision = "unrouted";
            throw ApiException.notFound("no resource at " + ctx.path());
        }
        st.route = endpoint.method.name() + " " + endpoint.path;
        Client client = null;
        String key = ApiKeyAuth.presentedKey(ctx);
        if (key != null) {
            Optional<Optional<Client>> known = auth.keys().cached(key);
            if (known.isPresent() && known.get().isPresent()) {
                client = known.get().get();
            } else {
                // Not known to be valid: the IP pays first (always enforced, even on ops routes),
                // so random keys cost at most the anonymous allowance in database lookups.
                chargeAnonymous(ctx, st, false);
                if (known.isEmpty() && !key.isEmpty()) {
                    metrics.inc("auth.lookups");
                    client = auth.keys().find(key).orElse(null);
                }
                if (client == null) {
                    st.decision = "unauthorized";
                    throw ApiKeyAuth.unauthorized(true);
                }
            }
            ApiKeyAuth.remember(ctx, client);
        }
        if (client != null) {
            st.subject = "c:" + client.id();
            st.clientId = client.id();
            st.tier = client.tier();
            Policy policy = tiers.tier(client.tier()).orElse(null);
            if (policy == null) {
                st.decision = "unauthorized";
                throw new ApiException(
                        403,
                        "unknown-tier",
                        "Forbidden",
                        "client " + client.id() + " has a tier this service does not know");
            }
            if (blockList.isBlocked(client.id())) {
                st.decision = "blocked";
                metrics.inc("blocked");
                throw new ApiException(
                        403,
                        "client-blocked",
                        "Client blocked",
                        "client "
                                + client.id()
                                + " is temporarily blocked for sustained abuse of its rate limit",
                        Map.of(
                                POLICY_HEADER,
                                policy.header(),
                                RATELIMIT_HEADER,
                                "\"" + policy.name() + "\";r=0;t=60"));
            }
            charge(ctx, st, policy, access.expensive() ? policy.concurrency() : 0, access.ops());
        } else {
            chargeAnonymous(ctx, st, access.ops());
        }
        if (!access.isOpen()) {
            if (client == null) {
                st.decision = "unauthorized";
                throw ApiKeyAuth.unauthorized(false);
            }
            if (!client.has(access.scope())) {
                st.decision = "forbidden";
                throw ApiKeyAuth.forbidden(client, access.scope());
            }
        }
    }

    /** A caller without a valid key pays from its IP's anonymous allowance. */
    private void chargeAnonymous(Context ctx, State st, boolean lenient) {
        st.subject = "ip:" + ctx.ip();
        st.clientId = st.subject;
        st.tier = Tiers.ANONYMOUS;
        charge(ctx, st, tiers.anonymous(), 0, lenient);
    }

    /** Takes one request (and a slot) from {@code st.subject}; refuses unless {@code lenient}. */
    private void charge(Context ctx, State st, Policy policy, int concurrency, boolean lenient) {
        Decision d = limiter.acquire(st.subject, policy, concurrency);
        st.leaseId = d.leaseId();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(POLICY_HEADER, policy.header());
        headers.put(RATELIMIT_HEADER, d.header(policy));
        headers.forEach(ctx::header);
        if (!d.allowed() && lenient) {
            metrics.inc("ops.unenforced");
        } else if (!d.allowed()) {
            if (d.reason() == Decision.Reason.UNAVAILABLE) {
                st.decision = "unavailable";
                headers.put("Retry-After", Long.toString(d.retryAfterSeconds()));
                throw new ApiException(
                        503,
                        "limiter-unavailable",
                        "Service unavailable",
                        "the rate limiter cannot decide right now; retry shortly",
                        headers);
            }
            st.decision = d.source() == Decision.Source.LOCAL ? "fallback-limited" : "limited";
            headers.put("Retry-After", Long.toString(d.retryAfterSeconds()));
            throw new ApiException(
                    429,
                    "rate-limited",
                    "Too many requests",
                    d.reason() == Decision.Reason.CONCURRENCY
                            ? "too many requests of this client in flight (at most "
                                    + concurrency
                                    + "); retry after "
                                    + d.retryAfterSeconds()
                                    + " s"
                            : "rate limit of policy '"
                                    + policy.name()
                                    + "' exceeded; retry after "
                                    + d.retryAfterSeconds()
                                    + " s",
                    headers);
        }
        if (d.source() == Decision.Source.LOCAL) {
            st.decision = "fallback-allowed";
        }
    }

    void after(Context ctx) {
        State st = ctx.attribute(STATE);
        if (st == null || st.subject == null) {
            return;
        }
        if (st.leaseId != null) {
            limiter.release(st.subject, st.leaseId);
        }
        int status = ctx.status().getCode();
        events.emit(
                new ApiRequestEvent(
                        UUID.randomUUID().toString(),
                        st.clientId,
                        st.tier,
                        ctx.method().name(),
                        st.route,
                        status,
                        status == 429 ? "limited" : st.decision,
                        (System.nanoTime() - st.startNanos) / 1000,
                        clock.instant()));
    }
}

package dev.shoppulse.api.ratelimit;

import dev.shoppulse.api.auth.ApiKeyAuth;
import dev.shoppulse.api.auth.Client;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.common.events.ApiRequestEvent;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The application-level checks every request passes, in order: identify the caller (API key, else
 * IP), refuse blocked clients (403), take one request from the caller's allowance and, on expensive
 * routes, one in-flight slot (429 when either is exhausted, 503 when Redis is down and the policy
 * is fail-closed). Every response carries {@code RateLimit-Policy} and {@code RateLimit}; every
 * request ends with one access event.
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
    private final Set<String> expensiveRoutes;
    private final Set<String> opsPaths;
    private final Clock clock;

    /** What the filter learnt about one request, for the after-handler. */
    private static final class State {
        final long startNanos = System.nanoTime();
        String subject;
        String clientId;
        String tier;
        String decision = "allowed";
        String leaseId;
    }

    /**
     * @param expensiveRoutes {@code "METHOD /path"} of the routes that also take an in-flight slot
     * @param opsPaths paths that are counted and get headers but are never refused (health checks
     *     and metrics must keep answering while Redis is down, or a fail-closed policy would take
     *     every instance out of its load balancer)
     * @param clock the application clock, used only to time-stamp access events
     */
    public RateLimitFilter(
            ApiKeyAuth auth,
            Tiers tiers,
            Limiter limiter,
            BlockList blockList,
            AccessEvents events,
            RateLimitMetrics metrics,
            Set<String> expensiveRoutes,
            Set<String> opsPaths,
            Clock clock) {
        this.auth = auth;
        this.tiers = tiers;
        this.limiter = limiter;
        this.blockList = blockList;
        this.events = events;
        this.metrics = metrics;
        this.expensiveRoutes = Set.copyOf(expensiveRoutes);
        this.opsPaths = Set.copyOf(opsPaths);
        this.clock = clock;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.before(this::before);
        routes.after(this::after);
        routes.get("/metrics/ratelimit", ctx -> Api.json(ctx, metrics.snapshot()));
    }

    void before(Context ctx) {
        State st = new State();
        ctx.attribute(STATE, st);
        Client client = auth.resolve(ctx).orElse(null);
        Policy policy;
        int concurrency = 0;
        if (client != null) {
            st.subject = "c:" + client.id();
            st.clientId = client.id();
            st.tier = client.tier();
            policy = tiers.tier(client.tier()).orElse(null);
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
            if (expensiveRoutes.contains(ctx.method().name() + " " + ctx.path())) {
                concurrency = policy.concurrency();
            }
        } else {
            st.subject = "ip:" + ctx.ip();
            st.clientId = st.subject;
            st.tier = Tiers.ANONYMOUS;
            policy = tiers.anonymous();
        }
        Decision d = limiter.acquire(st.subject, policy, concurrency);
        st.leaseId = d.leaseId();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(POLICY_HEADER, policy.header());
        headers.put(RATELIMIT_HEADER, d.header(policy));
        headers.forEach(ctx::header);
        if (!d.allowed() && opsPaths.contains(ctx.path())) {
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
        if (client == null && ApiKeyAuth.presentedUnknownKey(ctx)) {
            st.decision = "unauthorized";
            throw ApiKeyAuth.unauthorized(true);
        }
    }

    void after(Context ctx) {
        State st = ctx.attribute(STATE);
        if (st == null) {
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
                        ctx.path(),
                        status,
                        status == 429 ? "limited" : st.decision,
                        (System.nanoTime() - st.startNanos) / 1000,
                        clock.instant()));
    }
}

package dev.shoppulse.api.search;

import dev.shoppulse.api.http.Access;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.api.http.Fields;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.api.http.Routes;
import dev.shoppulse.common.redis.RedisFailure;
import dev.shoppulse.common.redis.TopSearchesRedis;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /v1/top-searches}: the hourly ranking of the most searched products, read from Redis
 * where {@code TopSearchesJob} publishes it, so a page load costs one or two key reads.
 *
 * <ul>
 *   <li>no parameters: the latest hour with a final ranking;
 *   <li>{@code ?hour=2026-11-27T10:00:00Z}: that hour (any ISO-8601 offset, on a whole hour);
 *   <li>{@code ?provisional=true}: the open hour, refreshed every minute, marked provisional.
 * </ul>
 */
public final class TopSearchesResource implements Resource {
    /** Final rankings change only through late corrections; provisional ones every minute. */
    static final String CACHE_FINAL = "public, max-age=60";

    static final String CACHE_PROVISIONAL = "public, max-age=15";

    private final TopSearchesRedis store;

    public TopSearchesResource(TopSearchesRedis store) {
        this.store = store;
    }

    @Override
    public void routes(Routes routes) {
        routes.get(
                "/v1/top-searches",
                Access.open("public: the ranking is shown on the storefront"),
                this::get);
    }

    void get(Context ctx) {
        String hourParam = ctx.queryParam("hour");
        boolean provisional = parseBoolean(ctx.queryParam("provisional"));
        if (provisional && hourParam != null) {
            throw ApiException.badRequest("use either hour or provisional=true, not both");
        }
        TopSearchesRedis.Stored stored;
        if (provisional) {
            stored =
                    read(store::provisional)
                            .orElseThrow(() -> ApiException.notFound("no provisional ranking yet"));
        } else if (hourParam != null) {
            Instant hour = parseHour(hourParam);
            stored =
                    read(() -> store.hour(hour))
                            .orElseThrow(
                                    () -> ApiException.notFound("no ranking for hour " + hour));
        } else {
            stored =
                    read(store::latest)
                            .orElseThrow(() -> ApiException.notFound("no final ranking yet"));
        }
        String etag = "\"" + stored.digest() + "\"";
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", provisional ? CACHE_PROVISIONAL : CACHE_FINAL);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        Api.json(ctx, TopSearchesDto.of(stored.ranking()));
    }

    private static <T> Optional<T> read(Supplier<Optional<T>> query) {
        try {
            return query.get();
        } catch (RedisFailure e) {
            throw ApiException.unavailable("ranking store unavailable", e);
        }
    }

    static boolean parseBoolean(String s) {
        if (s == null || s.equals("false")) {
            return false;
        }
        if (s.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("provisional must be true or false");
    }

    /** An ISO-8601 date-time with offset, at a whole hour, e.g. 2026-11-27T10:00:00Z. */
    static Instant parseHour(String s) {
        Instant hour;
        try {
            hour = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    "hour must be an ISO-8601 date-time with offset, e.g. 2026-11-27T10:00:00Z", e);
        }
        try {
            Fields.instant("hour", hour);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), e);
        }
        if (!hour.truncatedTo(ChronoUnit.HOURS).equals(hour)) {
            throw ApiException.badRequest("hour must be the start of an hour, e.g. 10:00:00Z");
        }
        return hour;
    }
}

package dev.shoppulse.api.quotes;

import dev.shoppulse.api.auth.ApiKeyAuth;
import dev.shoppulse.api.auth.Client;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.common.serde.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/quotes}: the expensive endpoint. Needs an API key; the rate limit and the
 * per-client in-flight limit are applied before it runs (see {@code RateLimitFilter}).
 */
public final class QuotesResource implements Resource {
    /** The route, as the rate-limit filter names expensive routes. */
    public static final String ROUTE = "POST /v1/quotes";

    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final int paths;

    public QuotesResource(int paths) {
        if (paths <= 0) {
            throw new IllegalArgumentException("quotes.cost must be > 0, got " + paths);
        }
        this.paths = paths;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/quotes", this::quote);
    }

    void quote(Context ctx) {
        Client client = ApiKeyAuth.require(ctx);
        QuoteRequest req = parse(ctx.bodyAsBytes());
        long start = System.nanoTime();
        long[] q = QuoteCalculator.quote(req.sku(), req.quantity(), req.basePriceCents(), paths);
        Api.json(
                ctx,
                new QuoteDto(
                        client.id(),
                        req.sku(),
                        req.quantity(),
                        q[0],
                        q[1],
                        paths,
                        (System.nanoTime() - start) / 1000));
    }

    static QuoteRequest parse(byte[] body) {
        QuoteRequest req;
        try {
            req = Json.MAPPER.readValue(body, QuoteRequest.class);
        } catch (IOException e) {
            throw ApiException.badRequest("body must be JSON {sku, quantity, basePriceCents}");
        }
        if (req == null
                || req.sku() == null
                || !SKU.matcher(req.sku()).matches()
                || req.quantity() == null
                || req.quantity() < 1
                || req.quantity() > 10_000
                || req.basePriceCents() == null
                || req.basePriceCents() < 1
                || req.basePriceCents() > 100_000_000L) {
            throw ApiException.badRequest(
                    "sku must be 1-64 letters, digits, '_', '.', '-'; quantity 1-10000;"
                            + " basePriceCents 1-100000000");
        }
        return req;
    }
}

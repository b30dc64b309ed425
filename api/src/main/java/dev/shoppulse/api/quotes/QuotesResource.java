package dev.shoppulse.api.quotes;

import dev.shoppulse.api.auth.ApiKeyAuth;
import dev.shoppulse.api.auth.Client;
import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.api.http.Access;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.api.http.Routes;
import io.javalin.http.Context;

/**
 * {@code POST /v1/quotes}: the expensive endpoint. Needs an API key with scope {@code quotes}; the
 * rate limit and the per-client in-flight limit are applied before it runs (see {@code
 * RateLimitFilter}).
 */
public final class QuotesResource implements Resource {
    private final int paths;

    public QuotesResource(int paths) {
        if (paths <= 0) {
            throw new IllegalArgumentException("quotes.cost must be > 0, got " + paths);
        }
        this.paths = paths;
    }

    @Override
    public void routes(Routes routes) {
        routes.post(
                "/v1/quotes",
                Access.scope(Scopes.QUOTES, "any client with the scope").asExpensive(),
                this::quote);
    }

    void quote(Context ctx) {
        Client client = ApiKeyAuth.require(ctx);
        QuoteRequest req = parse(Api.jsonBody(ctx));
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
        return Api.readJson(body, QuoteRequest.class, "{sku, quantity, basePriceCents}");
    }
}

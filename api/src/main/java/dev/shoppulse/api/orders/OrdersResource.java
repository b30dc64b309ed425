package dev.shoppulse.api.orders;

import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.api.http.Access;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.api.http.Routes;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderStatus;
import dev.shoppulse.sql.OrderStatusStore;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@code GET /v1/orders/{orderId}} (scope {@code orders:read}): an order's status from the
 * PostgreSQL projection.
 */
public final class OrdersResource implements Resource {
    /** Order ids are URL-safe words; anything else is a malformed request. */
    static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]*");

    private final DataSource db;

    public OrdersResource(DataSource db) {
        this.db = db;
    }

    @Override
    public void routes(Routes routes) {
        // Order status is personal data and orders carry no owner a client could be matched
        // against, so reading one is a back-office call.
        routes.get(
                "/v1/orders/{orderId}",
                Access.scope(Scopes.ORDERS_READ, "any client with the scope (back office)"),
                this::get);
    }

    void get(Context ctx) {
        String id = ctx.pathParam("orderId");
        if (id.length() > OrderEvent.MAX_ID_LENGTH || !ORDER_ID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "orderId must be 1-"
                            + OrderEvent.MAX_ID_LENGTH
                            + " characters of letters, digits, '_', '.', ':' or '-'");
        }
        OrderStatus status = find(id).orElseThrow(() -> ApiException.notFound("no order " + id));
        Api.json(ctx, OrderStatusDto.of(status));
    }

    Optional<OrderStatus> find(String orderId) {
        try (Connection c = db.getConnection()) {
            return OrderStatusStore.find(c, orderId);
        } catch (SQLException e) {
            throw ApiException.unavailable("order store unavailable", e);
        }
    }
}

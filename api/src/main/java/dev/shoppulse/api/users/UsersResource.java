package dev.shoppulse.api.users;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.api.http.Access;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.api.http.Fields;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.api.http.Routes;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.sql.PincodeBatches;
import dev.shoppulse.sql.PincodeBatches.Outcome;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * {@code POST /v1/users/pincodes} (scope {@code users:write}): a one-shot bulk pincode change. The
 * valid items go to PostgreSQL in one guarded {@code UPDATE ... FROM} (the same statement, chosen
 * by size the same way, as the streaming job), and the answer says per item whether it was updated,
 * stale, unknown or invalid.
 */
public final class UsersResource implements Resource {
    /** Generous per-item allowance for the early size check, before parsing anything. */
    static final int MAX_BYTES_PER_ITEM = 512;

    /** Clocks disagree a little; a change dated further ahead would win every later update. */
    static final Duration MAX_FUTURE = Duration.ofHours(1);

    private final DataSource db;
    private final int maxItems;
    private final int copyThreshold;

    public UsersResource(DataSource db, int maxItems, int copyThreshold) {
        this.db = db;
        this.maxItems = maxItems;
        this.copyThreshold = copyThreshold;
    }

    @Override
    public void routes(Routes routes) {
        // A service call: it changes any user's data and its answer tells which emails exist.
        routes.post(
                "/v1/users/pincodes",
                Access.scope(Scopes.USERS_WRITE, "service clients with the scope"),
                this::post);
    }

    void post(Context ctx) {
        long length = ctx.contentLength();
        if (length > (long) maxItems * MAX_BYTES_PER_ITEM) {
            throw tooLarge("the body is larger than " + maxItems + " items can be");
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(Api.jsonBody(ctx));
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON", e);
        }
        if (body == null || !body.isArray()) {
            throw ApiException.badRequest(
                    "the body must be a JSON array of {email, pincode, occurredAt?}");
        }
        if (body.isEmpty()) {
            throw ApiException.badRequest("the list is empty");
        }
        if (body.size() > maxItems) {
            throw tooLarge(
                    body.size() + " items; at most " + maxItems + " are accepted per request");
        }
        Instant now = Instant.now();
        List<PincodeResultDto.Item> items = new ArrayList<>(body.size());
        List<PincodeUpdate> valid = new ArrayList<>();
        List<Integer> validIndex = new ArrayList<>();
        for (int k = 0; k < body.size(); k++) {
            JsonNode n = body.get(k);
            String email = text(n, "email");
            try {
                PincodeUpdate u = parse(n, now);
                valid.add(u);
                validIndex.add(k);
                items.add(null);
            } catch (IllegalArgumentException e) {
                items.add(new PincodeResultDto.Item(k, email, "invalid", e.getMessage()));
            }
        }
        List<Outcome> outcomes = apply(valid);
        int updated = 0;
        int stale = 0;
        int unknown = 0;
        for (int v = 0; v < valid.size(); v++) {
            Outcome o = outcomes.get(v);
            switch (o) {
                case UPDATED -> updated++;
                case STALE -> stale++;
                case UNKNOWN -> unknown++;
            }
            int k = validIndex.get(v);
            items.set(
                    k,
                    new PincodeResultDto.Item(
                            k, valid.get(v).email(), o.name().toLowerCase(Locale.ROOT), null));
        }
        Api.json(
                ctx,
                new PincodeResultDto(
                        body.size(), updated, stale, unknown, body.size() - valid.size(), items));
    }

    static PincodeUpdate parse(JsonNode n, Instant now) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("item must be an object");
        }
        String at = text(n, "occurredAt");
        Instant occurredAt;
        try {
            occurredAt = at == null ? now : Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("occurredAt must be an ISO-8601 instant");
        }
        Fields.instant("occurredAt", occurredAt);
        if (occurredAt.isAfter(now.plus(MAX_FUTURE))) {
            throw new IllegalArgumentException(
                    "occurredAt is more than " + MAX_FUTURE.toHours() + " h in the future");
        }
        String email = text(n, "email");
        Fields.text("email", email, 3, PincodeUpdate.MAX_EMAIL_LENGTH, false);
        return new PincodeUpdate(email, text(n, "pincode"), occurredAt);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private List<Outcome> apply(List<PincodeUpdate> valid) {
        if (valid.isEmpty()) {
            return List.of();
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(true);
            return PincodeBatches.apply(c, valid, copyThreshold).outcomes();
        } catch (SQLException e) {
            throw ApiException.unavailable("user store unavailable", e);
        }
    }

    private static ApiException tooLarge(String detail) {
        return new ApiException(413, "payload-too-large", "Payload too large", detail);
    }
}

package dev.shoppulse.api.comments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.common.events.CommentReply;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.sql.CommentSql;
import dev.shoppulse.sql.CommentStore;
import dev.shoppulse.sql.CommentStore.Row;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Nested comments: {@code POST /v1/posts/{postId}/comments} {parentId?, author, body}, {@code GET
 * /v1/posts/{postId}/comments?limit&cursor&depth} (a keyset-paginated tree of top-level comments
 * with "more replies" counts) and {@code DELETE /v1/posts/{postId}/comments/{commentId}} (soft). A
 * reply publishes a {@link CommentReply} for the parent's author.
 */
public final class CommentsResource implements Resource {
    static final Pattern POST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    static final Pattern AUTHOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    static final int EXCERPT = 140;

    /** Comment settings, from configuration. */
    public record Limits(int maxBody, int maxDepth, int pageDepth, int fanout, int pageRows) {}

    private final DataSource db;
    private final Limits limits;
    private final ReplyPublisher replies;

    public CommentsResource(DataSource db, Limits limits, ReplyPublisher replies) {
        this.db = db;
        this.limits = limits;
        this.replies = replies;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/v1/posts/{postId}/comments", this::create);
        routes.get("/v1/posts/{postId}/comments", this::page);
        routes.delete("/v1/posts/{postId}/comments/{commentId}", this::delete);
    }

    private static String postId(Context ctx) {
        String id = ctx.pathParam("postId");
        if (!POST_ID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "postId must be 1-128 characters of letters, digits, '_', '.', ':' or '-'");
        }
        return id;
    }

    /** The validated fields of a new comment. */
    record NewComment(Long parentId, String author, String body) {}

    static NewComment parse(byte[] bytes, int maxBody) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest(
                    "the body must be a JSON object {parentId?, author, body}");
        }
        JsonNode parent = n.get("parentId");
        Long parentId = null;
        if (parent != null && !parent.isNull()) {
            if (!parent.canConvertToLong() || !parent.isIntegralNumber() || parent.asLong() <= 0) {
                throw ApiException.badRequest("parentId must be a positive integer");
            }
            parentId = parent.asLong();
        }
        JsonNode author = n.get("author");
        if (author == null || !author.isTextual() || !AUTHOR.matcher(author.asText()).matches()) {
            throw ApiException.badRequest(
                    "author must be 1-64 characters of letters, digits, '_', '.', '@' or '-'");
        }
        JsonNode body = n.get("body");
        if (body == null || !body.isTextual() || body.asText().isBlank()) {
            throw ApiException.badRequest("body must be a non-empty string");
        }
        String text = body.asText().strip();
        if (text.codePointCount(0, text.length()) > maxBody) {
            throw ApiException.badRequest("body is longer than " + maxBody + " characters");
        }
        if (text.indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("body must not contain NUL characters");
        }
        return new NewComment(parentId, author.asText(), text);
    }

    void create(Context ctx) {
        String postId = postId(ctx);
        NewComment c = parse(ctx.bodyAsBytes(), limits.maxBody());
        CommentStore.Inserted inserted;
        try (Connection conn = db.getConnection()) {
            // A reply's notification goes into the outbox in the reply's own transaction.
            inserted =
                    CommentStore.insert(
                            conn,
                            postId,
                            c.parentId(),
                            c.author(),
                            c.body(),
                            limits.maxDepth(),
                            i ->
                                    c.parentId() == null
                                            ? null
                                            : replies.message(
                                                    new CommentReply(
                                                            i.id(),
                                                            postId,
                                                            c.parentId(),
                                                            i.parentAuthor(),
                                                            c.author(),
                                                            c.body().length() > EXCERPT
                                                                    ? c.body().substring(0, EXCERPT)
                                                                    : c.body(),
                                                            i.createdAt())));
        } catch (CommentStore.Rejected e) {
            throw new ApiException(422, "comment-rejected", "Comment rejected", e.getMessage());
        } catch (SQLException e) {
            throw ApiException.unavailable("comment store unavailable");
        }
        if (c.parentId() != null) {
            replies.committed();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", inserted.id());
        out.put("postId", postId);
        out.put("parentId", c.parentId());
        out.put("depth", inserted.depth());
        out.put("createdAt", inserted.createdAt());
        ctx.status(201);
        ctx.header("Location", "/v1/posts/" + postId + "/comments/" + inserted.id());
        Api.json(ctx, out);
    }

    static int intParam(Context ctx, String name, int def, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return def;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer from " + min + " to " + max);
        }
    }

    void page(Context ctx) {
        String postId = postId(ctx);
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int depth = intParam(ctx, "depth", limits.pageDepth(), 0, limits.pageDepth());
        long cursor;
        try {
            cursor = CommentCursor.decode(ctx.queryParam("cursor"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor is malformed; use nextCursor from a page");
        }
        List<Row> rows;
        try (Connection conn = db.getConnection()) {
            rows =
                    CommentStore.page(
                            conn, CommentSql.PAGE, postId, cursor, limit, depth, limits.pageRows());
        } catch (SQLException e) {
            throw ApiException.unavailable("comment store unavailable");
        }
        List<CommentNode> tree = CommentTree.build(rows, depth, limits.fanout());
        // More pages may follow when the page is full, or when the row cap cut it short.
        boolean more = tree.size() == limit || rows.size() == limits.pageRows();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("postId", postId);
        out.put("comments", tree);
        out.put(
                "nextCursor",
                more && !tree.isEmpty()
                        ? CommentCursor.encode(tree.get(tree.size() - 1).id())
                        : null);
        Api.json(ctx, out);
    }

    void delete(Context ctx) {
        String postId = postId(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("commentId"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("commentId must be an integer");
        }
        try (Connection conn = db.getConnection()) {
            if (!CommentStore.softDelete(conn, postId, id)) {
                throw ApiException.notFound("no comment " + id + " on post " + postId);
            }
        } catch (SQLException e) {
            throw ApiException.unavailable("comment store unavailable");
        }
        ctx.status(204);
    }
}

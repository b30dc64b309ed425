package dev.shoppulse.api.comments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.auth.ApiKeyAuth;
import dev.shoppulse.api.auth.Client;
import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.api.http.Access;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.api.http.Fields;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.api.http.Routes;
import dev.shoppulse.common.events.CommentReply;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.sql.CommentSql;
import dev.shoppulse.sql.CommentStore;
import dev.shoppulse.sql.CommentStore.Row;
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
 * Nested comments: {@code POST /v1/posts/{postId}/comments} {parentId?, body} written as the
 * calling client (scope {@code comments:write}), {@code GET
 * /v1/posts/{postId}/comments?limit&cursor&depth} (public; a keyset-paginated tree of top-level
 * comments with "more replies" counts) and {@code DELETE /v1/posts/{postId}/comments/{commentId}}
 * (soft; only by its author, or by a client with {@code comments:moderate}). A reply publishes a
 * {@link CommentReply} for the parent's author.
 */
public final class CommentsResource implements Resource {
    static final Pattern POST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
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
    public void routes(Routes routes) {
        routes.post(
                "/v1/posts/{postId}/comments",
                Access.scope(Scopes.COMMENTS_WRITE, "written as the calling client"),
                this::create);
        routes.get("/v1/posts/{postId}/comments", Access.open("public thread pages"), this::page);
        // Deleting needs a key (comments:write or comments:moderate); the handler decides whose.
        routes.delete(
                "/v1/posts/{postId}/comments/{commentId}",
                Access.scope(
                        Scopes.COMMENTS_WRITE,
                        "its author only; any comment with comments:moderate"),
                this::delete);
    }

    private static String postId(Context ctx) {
        String id = ctx.pathParam("postId");
        if (!POST_ID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "postId must be 1-128 characters of letters, digits, '_', '.', ':' or '-'");
        }
        return id;
    }

    /**
     * The validated fields of a new comment: an optional positive parent id and a body of 1 to
     * {@code maxBody} characters (surrounding blanks stripped; tab and newlines allowed, no other
     * control characters, no unpaired surrogates).
     */
    record NewComment(Long parentId, String body) {
        NewComment {
            if (parentId != null && parentId <= 0) {
                throw new IllegalArgumentException("parentId must be a positive integer");
            }
        }

        static NewComment of(Long parentId, String body, int maxBody) {
            Fields.text("body", body, 0, 1_000_000, true);
            String text = body.strip();
            Fields.text("body", text, 1, maxBody, true);
            return new NewComment(parentId, text);
        }
    }

    /**
     * Parses a new comment; {@code author}, if sent, must be the caller (comments are always
     * written as the client whose key the request carries).
     */
    static NewComment parse(byte[] bytes, int maxBody, String caller) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON", e);
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object {parentId?, body}");
        }
        JsonNode author = n.get("author");
        if (author != null && !(author.isTextual() && author.asText().equals(caller))) {
            throw ApiException.badRequest(
                    "author is the calling client (" + caller + "); omit it from the body");
        }
        JsonNode parent = n.get("parentId");
        Long parentId = null;
        if (parent != null && !parent.isNull()) {
            if (!parent.isIntegralNumber() || !parent.canConvertToLong()) {
                throw ApiException.badRequest("parentId must be a positive integer");
            }
            parentId = parent.asLong();
        }
        JsonNode body = n.get("body");
        if (body == null || !body.isTextual()) {
            throw ApiException.badRequest("body must be a non-empty string");
        }
        try {
            return NewComment.of(parentId, body.asText(), maxBody);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), e);
        }
    }

    /** The start of a reply for its notification, never cut inside a surrogate pair. */
    static String excerpt(String body) {
        if (body.length() <= EXCERPT) {
            return body;
        }
        int end = Character.isHighSurrogate(body.charAt(EXCERPT - 1)) ? EXCERPT - 1 : EXCERPT;
        return body.substring(0, end);
    }

    void create(Context ctx) {
        Client client = ApiKeyAuth.require(ctx);
        String postId = postId(ctx);
        NewComment c = parse(Api.jsonBody(ctx), limits.maxBody(), client.id());
        CommentStore.Inserted inserted;
        try (Connection conn = db.getConnection()) {
            // A reply's notification goes into the outbox in the reply's own transaction.
            inserted =
                    CommentStore.insert(
                            conn,
                            postId,
                            c.parentId(),
                            client.id(),
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
                                                            client.id(),
                                                            excerpt(c.body()),
                                                            i.createdAt())));
        } catch (CommentStore.Rejected e) {
            throw new ApiException(422, "comment-rejected", "Comment rejected", e.getMessage(), e);
        } catch (SQLException e) {
            throw ApiException.unavailable("comment store unavailable", e);
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
            throw ApiException.badRequest(
                    name + " must be an integer from " + min + " to " + max, e);
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
            throw ApiException.badRequest("cursor is malformed; use nextCursor from a page", e);
        }
        List<Row> rows;
        try (Connection conn = db.getConnection()) {
            rows =
                    CommentStore.page(
                            conn, CommentSql.PAGE, postId, cursor, limit, depth, limits.pageRows());
        } catch (SQLException e) {
            throw ApiException.unavailable("comment store unavailable", e);
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
        Client client = ApiKeyAuth.require(ctx);
        String postId = postId(ctx);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("commentId"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("commentId must be an integer", e);
        }
        if (id <= 0) {
            throw ApiException.badRequest("commentId must be a positive integer");
        }
        try (Connection conn = db.getConnection()) {
            String author =
                    CommentStore.author(conn, postId, id)
                            .orElseThrow(
                                    () ->
                                            ApiException.notFound(
                                                    "no comment " + id + " on post " + postId));
            // Authors are public on the thread page, so refusing says nothing a 404 would hide.
            if (!author.equals(client.id()) && !client.has(Scopes.COMMENTS_MODERATE)) {
                throw new ApiException(
                        403,
                        "not-author",
                        "Forbidden",
                        "only the author or a moderator (scope comments:moderate) may delete"
                                + " comment "
                                + id);
            }
            if (!CommentStore.softDelete(conn, postId, id)) {
                throw ApiException.notFound("no comment " + id + " on post " + postId);
            }
        } catch (SQLException e) {
            throw ApiException.unavailable("comment store unavailable", e);
        }
        ctx.status(204);
    }
}

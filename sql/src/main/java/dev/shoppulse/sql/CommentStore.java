package dev.shoppulse.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Nested comments in PostgreSQL through {@link CommentSql}: insert under a parent (locking and
 * counting it), read a thread page, soft delete. The API, the local run and the benchmark share it.
 */
public final class CommentStore {
    private CommentStore() {}

    /** One stored comment as a page reads it; {@code body} is null once deleted. */
    public record Row(
            long id,
            Long parentId,
            long rootId,
            int depth,
            String author,
            String body,
            int replyCount,
            Instant createdAt,
            Instant deletedAt) {}

    /** A new comment as stored, plus the parent's author when it is a reply. */
    public record Inserted(
            long id, long rootId, int depth, String path, Instant createdAt, String parentAuthor) {}

    /** Why an insert was refused. */
    public static final class Rejected extends Exception {
        public Rejected(String message) {
            super(message);
        }
    }

    /**
     * Inserts a comment in one transaction: a reply locks its parent row (counting the reply) and
     * is refused if the parent is on another post or the reply would be deeper than {@code
     * maxDepth}.
     */
    public static Inserted insert(
            Connection c, String postId, Long parentId, String author, String body, int maxDepth)
            throws SQLException, Rejected {
        return insert(c, postId, parentId, author, body, maxDepth, i -> null);
    }

    /**
     * Like {@link #insert(Connection, String, Long, String, String, int)}, and adds the outbox
     * record {@code event} makes of the stored comment (none when it returns null) in the same
     * transaction, so a reply and its notification commit together.
     */
    public static Inserted insert(
            Connection c,
            String postId,
            Long parentId,
            String author,
            String body,
            int maxDepth,
            java.util.function.Function<Inserted, Outbox.Message> event)
            throws SQLException, Rejected {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            String parentPath = null;
            String parentAuthor = null;
            int depth = 0;
            if (parentId != null) {
                try (PreparedStatement ps = c.prepareStatement(CommentSql.LOCK_PARENT)) {
                    ps.setLong(1, parentId);
                    ps.setString(2, postId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new Rejected("no comment " + parentId + " on post " + postId);
                        }
                        parentPath = rs.getString("path");
                        depth = rs.getInt("depth") + 1;
                        parentAuthor = rs.getString("author");
                    }
                }
                if (depth > maxDepth) {
                    throw new Rejected("replies may nest at most " + maxDepth + " levels deep");
                }
            }
            Inserted inserted;
            try (PreparedStatement ps = c.prepareStatement(CommentSql.INSERT)) {
                ps.setString(1, postId);
                if (parentId == null) {
                    ps.setNull(2, Types.BIGINT);
                } else {
                    ps.setLong(2, parentId);
                }
                ps.setString(3, parentPath);
                ps.setInt(4, depth);
                ps.setString(5, author);
                ps.setString(6, body);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    inserted =
                            new Inserted(
                                    rs.getLong("comment_id"),
                                    rs.getLong("root_id"),
                                    depth,
                                    rs.getString("path"),
                                    rs.getTimestamp("created_at").toInstant(),
                                    parentAuthor);
                }
            }
            Outbox.Message m = event.apply(inserted);
            if (m != null) {
                Outbox.add(c, m);
            }
            c.commit();
            return inserted;
        } catch (SQLException | Rejected | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * The rows of one thread page in page order: up to {@code roots} top-level comments with ids
     * below {@code cursor}, and their replies down to {@code depth}, at most {@code maxRows}.
     */
    public static List<Row> page(
            Connection c, String sql, String postId, long cursor, int roots, int depth, int maxRows)
            throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (sql.equals(CommentSql.PAGE)) {
                ps.setString(1, postId);
                ps.setLong(2, cursor);
                ps.setInt(3, roots);
                ps.setString(4, postId);
                ps.setInt(5, depth);
                ps.setInt(6, maxRows);
            } else {
                ps.setString(1, postId);
                ps.setLong(2, cursor);
                ps.setInt(3, roots);
                ps.setInt(4, depth);
                ps.setInt(5, maxRows);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long parent = rs.getLong("parent_id");
                    Long parentId = rs.wasNull() ? null : parent;
                    Timestamp deleted = rs.getTimestamp("deleted_at");
                    rows.add(
                            new Row(
                                    rs.getLong("comment_id"),
                                    parentId,
                                    rs.getLong("root_id"),
                                    rs.getInt("depth"),
                                    rs.getString("author"),
                                    rs.getString("body"),
                                    rs.getInt("reply_count"),
                                    rs.getTimestamp("created_at").toInstant(),
                                    deleted == null ? null : deleted.toInstant()));
                }
            }
        }
        return rows;
    }

    /** The author of a comment on a post, if it exists (deleted or not). */
    public static java.util.Optional<String> author(Connection c, String postId, long commentId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CommentSql.SELECT_AUTHOR)) {
            ps.setLong(1, commentId);
            ps.setString(2, postId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? java.util.Optional.of(rs.getString(1))
                        : java.util.Optional.empty();
            }
        }
    }

    /** Soft delete; false when there is no such comment on the post. Idempotent. */
    public static boolean softDelete(Connection c, String postId, long commentId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CommentSql.SOFT_DELETE)) {
            ps.setLong(1, commentId);
            ps.setString(2, postId);
            return ps.executeUpdate() == 1;
        }
    }
}

package dev.shoppulse.sql;

import java.util.Locale;

/**
 * The statements behind nested comments: inserting a comment under its parent's path, reading a
 * thread page in one index range scan, soft delete; and the adjacency-list recursive CTE the
 * benchmark compares against.
 */
public final class CommentSql {
    private CommentSql() {}

    /** Width of one path label: ids up to 10^12 sort numerically as text. */
    public static final int LABEL_WIDTH = 12;

    /** The ltree label of a comment id. */
    public static String label(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("id must be >= 0");
        }
        return String.format(Locale.ROOT, "%0" + LABEL_WIDTH + "d", id);
    }

    /** The path of a comment given its parent's path (null for a top-level comment). */
    public static String childPath(String parentPath, long id) {
        return parentPath == null ? label(id) : parentPath + "." + label(id);
    }

    /**
     * Locks the parent, counts the new reply and returns what the child needs. Parameters: parent
     * comment_id, post_id. No row: no such parent on this post.
     */
    public static final String LOCK_PARENT =
            "UPDATE comments SET reply_count = reply_count + 1"
                    + " WHERE comment_id = ? AND post_id = ?"
                    + " RETURNING root_id, path::text AS path, depth, author";

    /**
     * Inserts a comment; the id comes from the sequence inside the statement so the path can end
     * with it. Parameters: post_id, parent_id (null), parent path text (null for top level), depth,
     * author, body. Returns comment_id, root_id, path, created_at.
     */
    public static final String INSERT =
            "WITH n AS (SELECT nextval('comment_ids') AS id),"
                    + " p AS (SELECT ?::text AS post_id, ?::bigint AS parent_id,"
                    + " ?::text AS parent_path, ?::int AS depth, ?::text AS author, ?::text AS body)"
                    + " INSERT INTO comments (comment_id, post_id, parent_id, root_id, path, depth,"
                    + " author, body)"
                    + " SELECT n.id, p.post_id, p.parent_id,"
                    + " coalesce(split_part(p.parent_path, '.', 1)::bigint, n.id),"
                    + " (coalesce(p.parent_path || '.', '') || lpad(n.id::text, "
                    + LABEL_WIDTH
                    + ", '0'))::public.ltree,"
                    + " p.depth, p.author, p.body FROM n, p"
                    + " RETURNING comment_id, root_id, path::text AS path, created_at";

    /**
     * A thread page. Parameters: post_id, cursor (top-level ids below it; Long.MAX_VALUE for the
     * first page), top-level comments per page, post_id, depth cap, row cap. Rows come in page
     * order: threads newest first, each depth-first with siblings oldest first.
     */
    public static final String PAGE =
            "WITH roots AS (SELECT comment_id FROM comments"
                    + " WHERE post_id = ? AND parent_id IS NULL AND comment_id < ?"
                    + " ORDER BY comment_id DESC LIMIT ?)"
                    + " SELECT comment_id, parent_id, root_id, depth, author, body, reply_count,"
                    + " created_at, deleted_at FROM comments"
                    + " WHERE post_id = ?"
                    + " AND root_id BETWEEN (SELECT min(comment_id) FROM roots)"
                    + " AND (SELECT max(comment_id) FROM roots)"
                    + " AND depth <= ?"
                    + " ORDER BY root_id DESC, path LIMIT ?";

    /** Soft delete. Parameters: comment_id, post_id. Returns the row count (0: not found). */
    /** A comment's author: comment_id, post_id. */
    public static final String SELECT_AUTHOR =
            "SELECT author FROM comments WHERE comment_id = ? AND post_id = ?";

    public static final String SOFT_DELETE =
            "UPDATE comments SET body = NULL, deleted_at = coalesce(deleted_at, now())"
                    + " WHERE comment_id = ? AND post_id = ?";

    /**
     * Baseline for the benchmark: the same page from the adjacency list (parent_id) with a
     * recursive CTE, ordered by an id array built on the way down. Parameters: post_id, cursor,
     * page size, depth cap, row cap.
     */
    public static final String PAGE_RECURSIVE =
            "WITH RECURSIVE roots AS (SELECT comment_id FROM comments"
                    + " WHERE post_id = ? AND parent_id IS NULL AND comment_id < ?"
                    + " ORDER BY comment_id DESC LIMIT ?),"
                    + " t AS (SELECT c.comment_id, c.parent_id, c.comment_id AS root, c.depth,"
                    + " ARRAY[c.comment_id] AS trail FROM comments c JOIN roots r USING (comment_id)"
                    + " UNION ALL SELECT c.comment_id, c.parent_id, t.root, c.depth,"
                    + " t.trail || c.comment_id FROM t JOIN comments c ON c.parent_id = t.comment_id"
                    + " WHERE c.depth <= ?)"
                    + " SELECT c.comment_id, c.parent_id, t.root AS root_id, c.depth, c.author,"
                    + " c.body, c.reply_count, c.created_at, c.deleted_at"
                    + " FROM t JOIN comments c USING (comment_id)"
                    + " ORDER BY t.root DESC, t.trail LIMIT ?";
}

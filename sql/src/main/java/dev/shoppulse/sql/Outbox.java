package dev.shoppulse.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The transactional outbox (V10): {@link #add} writes a Kafka record in the caller's transaction; a
 * relay {@link #claim}s the oldest records (row-locked, skipping rows another relay holds),
 * publishes them and {@link #delete}s them before committing.
 */
public final class Outbox {
    private Outbox() {}

    /** A record to publish: the deployed topic name, its key and its encoded value. */
    public record Message(String topic, String key, byte[] payload) {
        public Message {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** A claimed outbox row. */
    public record Entry(long id, Message message, Instant createdAt) {}

    /** Adds a record in the caller's (open) transaction. */
    public static void add(Connection c, Message m) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO outbox (topic, record_key, payload) VALUES (?, ?, ?)")) {
            ps.setString(1, m.topic());
            ps.setString(2, m.key());
            ps.setBytes(3, m.payload());
            ps.executeUpdate();
        }
    }

    /**
     * Locks and returns up to {@code limit} of the oldest records for {@code topics} that no other
     * transaction holds; the caller must be inside a transaction (auto-commit off) and delete what
     * it published. Records for other topics (another deployment's) are left alone.
     */
    public static List<Entry> claim(Connection c, Collection<String> topics, int limit)
            throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT outbox_id, topic, record_key, payload, created_at FROM outbox"
                                + " WHERE topic = ANY (?)"
                                + " ORDER BY outbox_id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setArray(1, c.createArrayOf("text", topics.toArray()));
            ps.setInt(2, Math.max(1, limit));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Entry(
                                    rs.getLong(1),
                                    new Message(rs.getString(2), rs.getString(3), rs.getBytes(4)),
                                    rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return out;
    }

    /** Deletes published records (in the claiming transaction). */
    public static int delete(Connection c, List<Entry> published) throws SQLException {
        if (published.isEmpty()) {
            return 0;
        }
        Long[] ids = published.stream().map(Entry::id).toArray(Long[]::new);
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM outbox WHERE outbox_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            return ps.executeUpdate();
        }
    }

    /** Records waiting to be published (a gauge; counts every row). */
    public static long pending(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

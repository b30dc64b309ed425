package dev.shoppulse.sql;

import dev.shoppulse.common.events.OrderStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/**
 * The {@code order_status} projection in PostgreSQL: its SQL together with the binding of an {@link
 * OrderStatus} to the upsert and the mapping of a row back, so the sequencing job that writes it
 * and the orders API that reads it cannot disagree about columns.
 */
public final class OrderStatusStore {
    private OrderStatusStore() {}

    /**
     * Upsert that never moves backwards: a replayed or reordered write with an older {@code
     * last_seq} changes nothing, so writing at-least-once is effectively exactly-once. Bound by
     * {@link #bindUpsert}.
     */
    public static final String UPSERT_STATUS =
            "INSERT INTO order_status (order_id, status, event_type, last_seq, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (order_id) DO UPDATE SET status = excluded.status,"
                    + " event_type = excluded.event_type, last_seq = excluded.last_seq,"
                    + " updated_at = excluded.updated_at"
                    + " WHERE excluded.last_seq > order_status.last_seq";

    /** One order's row, read by {@link #row}. Parameter: order_id. */
    public static final String SELECT_STATUS =
            "SELECT order_id, status, event_type, last_seq, updated_at FROM order_status"
                    + " WHERE order_id = ?";

    /** Sets the parameters of {@link #UPSERT_STATUS} (batched by the caller or executed once). */
    public static void bindUpsert(PreparedStatement ps, OrderStatus s) throws SQLException {
        ps.setString(1, s.orderId());
        ps.setString(2, s.status());
        ps.setString(3, s.eventType());
        ps.setLong(4, s.lastSeq());
        ps.setTimestamp(5, Timestamp.from(s.updatedAt()));
    }

    /** The current row of {@link #SELECT_STATUS}. */
    public static OrderStatus row(ResultSet rs) throws SQLException {
        return new OrderStatus(
                rs.getString("order_id"),
                rs.getString("status"),
                rs.getString("event_type"),
                rs.getLong("last_seq"),
                rs.getTimestamp("updated_at").toInstant());
    }

    /**
     * Writes {@code s} unless the stored row has the same or a later {@code last_seq}.
     *
     * @return whether the row changed
     */
    public static boolean upsert(Connection c, OrderStatus s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_STATUS)) {
            bindUpsert(ps, s);
            return ps.executeUpdate() == 1;
        }
    }

    /** The order's status, or empty when the projection has no row for it. */
    public static Optional<OrderStatus> find(Connection c, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_STATUS)) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }
}

package dev.shoppulse.sql;

/** The queries the order-sequencing job and the orders API run against {@code order_status}. */
public final class OrderSql {
    private OrderSql() {}

    /**
     * Upsert that never moves backwards: a replayed or reordered write with an older {@code
     * last_seq} changes nothing, so writing at-least-once is effectively exactly-once. Parameters:
     * order_id, status, event_type, last_seq, updated_at.
     */
    public static final String UPSERT_STATUS =
            "INSERT INTO order_status (order_id, status, event_type, last_seq, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (order_id) DO UPDATE SET status = excluded.status,"
                    + " event_type = excluded.event_type, last_seq = excluded.last_seq,"
                    + " updated_at = excluded.updated_at"
                    + " WHERE excluded.last_seq > order_status.last_seq";

    /** Parameter: order_id. */
    public static final String SELECT_STATUS =
            "SELECT order_id, status, event_type, last_seq, updated_at FROM order_status"
                    + " WHERE order_id = ?";
}

-- Order status projection written by OrderSequencingJob, read by GET /v1/orders/{orderId}.
-- The job upserts with a guard on last_seq, so a replay after a restart never moves an order
-- backwards (see dev.shoppulse.sql.OrderSql.UPSERT_STATUS).
CREATE TABLE order_status (
    order_id    text        PRIMARY KEY,
    status      text        NOT NULL,
    event_type  text        NOT NULL,
    last_seq    bigint      NOT NULL CHECK (last_seq >= 1),
    updated_at  timestamptz NOT NULL
);

-- Dashboards list recently changed orders.
CREATE INDEX order_status_updated_at ON order_status (updated_at DESC);

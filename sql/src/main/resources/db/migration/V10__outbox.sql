-- Transactional outbox (dev.shoppulse.sql.Outbox; relay: api OutboxRelay).
-- A report request and a comment reply are written with their Kafka record in ONE transaction:
-- the record can neither be lost after the row committed nor published for a row that rolled back.
-- The relay claims the oldest rows with SELECT ... FOR UPDATE SKIP LOCKED (several API instances
-- never publish the same row at the same time), publishes them with acks=all and deletes them in
-- the same transaction, so the table holds only what is not yet acknowledged by Kafka.
-- A crash between the acknowledgement and the DELETE publishes the row again: at least once, and
-- consumers de-duplicate by the record's own id (report id, reply id).
CREATE TABLE outbox (
    outbox_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic       text        NOT NULL CHECK (length(topic) BETWEEN 1 AND 249),
    record_key  text,
    payload     bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Idempotent log ingestion: every row remembers the Kafka position it was read from, and a
-- position is stored at most once, so LogIngestJob's at-least-once replays after a restart insert
-- nothing twice (INSERT ... ON CONFLICT DO NOTHING).
--
-- PostgreSQL only allows a unique index on a partitioned table when it contains the partition key,
-- so the key is (logged_at, source_partition, source_offset): one Kafka record always carries the
-- same logged_at, so this is unique per record. The index is created on every partition, the
-- default one included, and on each day partition that maintenance attaches later.
-- Rows written without a position (older rows, direct inserts) keep NULLs and are never in
-- conflict.
ALTER TABLE app_logs
    ADD COLUMN source_partition integer,
    ADD COLUMN source_offset    bigint;

CREATE UNIQUE INDEX app_logs_source ON app_logs (logged_at, source_partition, source_offset);

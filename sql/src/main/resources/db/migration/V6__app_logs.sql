-- Application logs, partitioned by day on logged_at (dev.shoppulse.sql.LogPartitions keeps the
-- partitions: creates them ahead, detaches and drops whole days past the retention; no DELETE).
--
-- The DEFAULT partition is a safety net, not a home: LogIngestJob routes rows outside the kept
-- window to the DLQ before inserting, so rows land here only if maintenance fell behind. The
-- maintenance routine moves such rows into the day partition it creates, deletes the retired
-- ones, and reports how many rows the default partition holds (the app_logs.default_rows figure).
-- Trade-off: with a default partition PostgreSQL does not allow DETACH ... CONCURRENTLY, so
-- detaching takes a brief ACCESS EXCLUSIVE lock on app_logs; the routine runs it with a short
-- lock_timeout and retries, so no writer ever waits longer than that timeout.
CREATE TABLE app_logs (
    logged_at timestamptz NOT NULL,
    service   text        NOT NULL,
    level     text        NOT NULL,
    message   text        NOT NULL
) PARTITION BY RANGE (logged_at);

CREATE TABLE app_logs_default PARTITION OF app_logs DEFAULT;

-- Per service over time; partitioned, so each day partition gets its own small index.
CREATE INDEX app_logs_service_time ON app_logs (service, logged_at);

-- Asynchronous reports (dev.shoppulse.sql.reports.ReportStore; API /v1/reports; ReportJob).

-- The sample report's data: order lines, one row per line of an order, by the day it was sold.
-- The shard query reads one day at a time through sales_sold_on.
CREATE TABLE sales (
    order_id     text   NOT NULL,
    line_no      int    NOT NULL,
    sold_on      date   NOT NULL,
    product      text   NOT NULL,
    quantity     int    NOT NULL CHECK (quantity > 0),
    amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX sales_sold_on ON sales (sold_on) INCLUDE (product, quantity, amount_cents);

-- One row per requested report. status only moves QUEUED -> RUNNING -> SUCCEEDED | FAILED |
-- CANCELLED (QUEUED may also go straight to FAILED or CANCELLED): every writer uses a guarded
-- UPDATE (WHERE status = <the state it moves from>), and the trigger below refuses anything else,
-- so a replayed or late writer can never move a report backwards.
-- version: bumped by every change; the SSE stream uses it as the event id.
-- request_hash: sha-256 of type + canonical parameters; the partial unique index makes "an
-- identical request from the same user while one is in flight" return the existing report.
CREATE TABLE reports (
    report_id       text        PRIMARY KEY,
    owner           text        NOT NULL,
    type            text        NOT NULL,
    parameters      jsonb       NOT NULL,
    request_hash    text        NOT NULL,
    idempotency_key text,
    status          text        NOT NULL DEFAULT 'QUEUED'
        CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    shards          int         NOT NULL CHECK (shards > 0),
    shards_done     int         NOT NULL DEFAULT 0 CHECK (shards_done BETWEEN 0 AND shards),
    version         int         NOT NULL DEFAULT 0,
    rows            bigint,
    file            text,
    error           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    expires_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX reports_idempotency ON reports (owner, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX reports_in_flight ON reports (owner, request_hash)
    WHERE status IN ('QUEUED', 'RUNNING');
CREATE INDEX reports_owner ON reports (owner, created_at DESC);
CREATE INDEX reports_expiry ON reports (expires_at);

CREATE FUNCTION reports_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> OLD.status AND NOT (
           (OLD.status = 'QUEUED' AND NEW.status IN ('RUNNING', 'FAILED', 'CANCELLED'))
        OR (OLD.status = 'RUNNING' AND NEW.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED'))) THEN
        RAISE EXCEPTION 'report % cannot move from % to %', OLD.report_id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.shards_done < OLD.shards_done THEN
        RAISE EXCEPTION 'report % progress cannot go back', OLD.report_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER reports_forward_only BEFORE UPDATE ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_forward_only();

-- Finished shards (one per day of the range): the durable record a restarted job resumes from.
CREATE TABLE report_shards (
    report_id   text        NOT NULL REFERENCES reports (report_id) ON DELETE CASCADE,
    shard_day   date        NOT NULL,
    rows        bigint      NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (report_id, shard_day)
);

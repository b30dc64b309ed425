-- Rate limiting (issue 5): API clients and their tiers. Keys are stored only as SHA-256 hex, so a
-- leaked table does not leak keys. Tiers themselves (limit, burst, concurrency) are configuration
-- (ratelimit.tiers), so operators can retune them without a migration.
CREATE TABLE api_clients (
    client_id   TEXT PRIMARY KEY CHECK (client_id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
    tier        TEXT NOT NULL,
    key_sha256  TEXT NOT NULL UNIQUE CHECK (key_sha256 ~ '^[0-9a-f]{64}$'),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

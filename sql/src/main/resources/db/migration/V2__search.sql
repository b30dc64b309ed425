-- Catalogue the top-searches job reads to put names on its ranking (dev.shoppulse.sql.SearchSql).
CREATE TABLE categories (
    category_id integer PRIMARY KEY,
    name        text    NOT NULL
);

CREATE TABLE products (
    product_id  text    PRIMARY KEY,
    name        text    NOT NULL,
    category_id integer REFERENCES categories (category_id)
);

-- The old way, kept for comparison: every search stored, ranked by a heavy query per page load
-- (SearchSql.HEAVY_TOP10) or by the materialized view below, refreshed hourly.
CREATE TABLE searches (
    event_id    text        NOT NULL,
    user_id     text,
    session_id  text,
    query       text        NOT NULL,
    product_id  text,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX searches_occurred_at ON searches (occurred_at);

CREATE MATERIALIZED VIEW top_searches_hourly AS
SELECT hour_start, rank, product_id, name, category, searches
FROM (
    SELECT date_trunc('hour', s.occurred_at) AS hour_start,
           p.product_id, p.name, c.name AS category, count(*) AS searches,
           row_number() OVER (PARTITION BY date_trunc('hour', s.occurred_at)
                              ORDER BY count(*) DESC, p.product_id) AS rank
    FROM searches s
    JOIN products p ON p.product_id = s.product_id
    JOIN categories c ON c.category_id = p.category_id
    GROUP BY date_trunc('hour', s.occurred_at), p.product_id, p.name, c.name
) ranked
WHERE rank <= 10
WITH DATA;

-- REFRESH ... CONCURRENTLY needs a unique index; readers look up one hour.
CREATE UNIQUE INDEX top_searches_hourly_pk ON top_searches_hourly (hour_start, rank);

package dev.shoppulse.sql;

/** The named queries of rate limiting (table {@code api_clients}, migration V3). */
public final class RateLimitSql {
    private RateLimitSql() {}

    /** One active client by the SHA-256 (hex) of its API key: client_id, tier. */
    public static final String SELECT_CLIENT_BY_KEY_HASH =
            "SELECT client_id, tier FROM api_clients WHERE key_sha256 = ? AND active";

    /** Creates or re-keys a client: client_id, tier, key_sha256. */
    public static final String UPSERT_CLIENT =
            "INSERT INTO api_clients (client_id, tier, key_sha256) VALUES (?, ?, ?)"
                    + " ON CONFLICT (client_id) DO UPDATE SET tier = excluded.tier,"
                    + " key_sha256 = excluded.key_sha256, active = TRUE";
}

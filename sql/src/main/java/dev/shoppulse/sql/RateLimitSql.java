package dev.shoppulse.sql;

/** The named queries of API clients and rate limiting (table {@code api_clients}, V3 and V9). */
public final class RateLimitSql {
    private RateLimitSql() {}

    /**
     * One active client by the SHA-256 (hex) of its API key: client_id, tier, scopes (space
     * separated).
     */
    public static final String SELECT_CLIENT_BY_KEY_HASH =
            "SELECT client_id, tier, array_to_string(scopes, ' ') FROM api_clients"
                    + " WHERE key_sha256 = ? AND active";

    /**
     * Creates or re-keys a client: client_id, tier, key_sha256, scopes (space separated, may be
     * empty).
     */
    public static final String UPSERT_CLIENT =
            "INSERT INTO api_clients (client_id, tier, key_sha256, scopes)"
                    + " VALUES (?, ?, ?, coalesce(string_to_array(nullif(?, ''), ' '), '{}'))"
                    + " ON CONFLICT (client_id) DO UPDATE SET tier = excluded.tier,"
                    + " key_sha256 = excluded.key_sha256, scopes = excluded.scopes, active = TRUE";
}

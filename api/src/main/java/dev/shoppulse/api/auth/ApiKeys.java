package dev.shoppulse.api.auth;

import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.common.config.ConfigException;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.sql.RateLimitSql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Finds the client an API key belongs to: first the keys in configuration ({@code
 * ratelimit.clients}), then PostgreSQL {@code api_clients} (keys stored as SHA-256), with answers
 * (including "no such key") cached briefly so a request costs no database round trip.
 */
public final class ApiKeys {
    private static final int MAX_CACHED = 50_000;

    private final Map<String, Client> configured;
    private final DataSource db;
    private final long cacheNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Client> client, long until) {}

    public ApiKeys(Map<String, Client> configuredByKeyHash, DataSource db, Duration cache) {
        this.configured = Map.copyOf(configuredByKeyHash);
        this.db = db;
        this.cacheNanos = cache.toNanos();
    }

    public static ApiKeys from(ShopPulseConfig config, DataSource db) {
        return new ApiKeys(
                parse(config.get(Settings.RATELIMIT_CLIENTS)), db, Duration.ofSeconds(30));
    }

    /** Parses {@code clientId:tier:apiKey,...} into clients by key hash. */
    public static Map<String, Client> parse(String spec) {
        Map<String, Client> m = new HashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] f = part.trim().split(":", 3);
            if (f.length != 3 || f[0].isBlank() || f[1].isBlank() || f[2].length() < 8) {
                throw new ConfigException(
                        "ratelimit.clients: an entry is not clientId:tier:apiKey (key of at least"
                                + " 8 characters); write e.g. acme:pro:s3cr3t-key");
            }
            m.put(hash(f[2]), new Client(f[0], f[1]));
        }
        return m;
    }

    /** The SHA-256 hex of a key, as stored in {@code api_clients.key_sha256}. */
    public static String hash(String apiKey) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(apiKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    public Optional<Client> find(String apiKey) {
        String h = hash(apiKey);
        Client c = configured.get(h);
        if (c != null) {
            return Optional.of(c);
        }
        long now = System.nanoTime();
        Cached cached = cache.get(h);
        if (cached != null && now - cached.until() < 0) {
            return cached.client();
        }
        Optional<Client> found = lookup(h);
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
        cache.put(h, new Cached(found, now + cacheNanos));
        return found;
    }

    private Optional<Client> lookup(String keyHash) {
        if (db == null) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(RateLimitSql.SELECT_CLIENT_BY_KEY_HASH)) {
            ps.setString(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Client(rs.getString(1), rs.getString(2)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw ApiException.unavailable("client store unavailable");
        }
    }
}

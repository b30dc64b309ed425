package dev.shoppulse.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.common.config.ConfigException;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
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
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Finds the client an API key belongs to: first the keys in configuration ({@code
 * ratelimit.clients}), then PostgreSQL {@code api_clients} (keys stored as SHA-256). Answers,
 * including "no such key", are kept in a bounded, expiring Caffeine cache, so a known key costs no
 * database round trip and a flood of random keys cannot grow memory. {@link #cached} never touches
 * the database: the caller decides (after charging the caller's IP) whether a lookup is worth it.
 */
public final class ApiKeys {
    /** Enough for every real client several times over; random keys evict each other. */
    static final long MAX_CACHED = 50_000;

    private final Map<String, Client> configured;
    private final DataSource db;
    private final Cache<String, Optional<Client>> cache;
    private final LongAdder lookups = new LongAdder();

    public ApiKeys(Map<String, Client> configuredByKeyHash, DataSource db, Duration cache) {
        this.configured = Map.copyOf(configuredByKeyHash);
        this.db = db;
        this.cache = Caffeine.newBuilder().maximumSize(MAX_CACHED).expireAfterWrite(cache).build();
    }

    public static ApiKeys from(ShopPulseConfig config, DataSource db) {
        return new ApiKeys(
                parse(config.get(RateLimitCapability.RATELIMIT_CLIENTS)),
                db,
                Duration.ofSeconds(30));
    }

    /**
     * Parses {@code clientId:tier:apiKey[:scope+scope...],...} into clients by key hash. The key
     * itself must not contain ':' when scopes follow it.
     */
    public static Map<String, Client> parse(String spec) {
        Map<String, Client> m = new HashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] f = part.trim().split(":", 4);
            if (f.length < 3 || f[0].isBlank() || f[1].isBlank() || f[2].length() < 8) {
                throw new ConfigException(
                        "ratelimit.clients: an entry is not clientId:tier:apiKey[:scope+scope]"
                                + " (key of at least 8 characters); write e.g."
                                + " acme:pro:s3cr3t-key:quotes+reports");
            }
            Set<String> scopes =
                    f.length == 4 ? Scopes.parse(f[3], "ratelimit.clients " + f[0]) : Set.of();
            m.put(hash(f[2]), new Client(f[0], f[1], scopes));
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

    /**
     * What is known about a key without a database round trip: empty when it must be looked up,
     * else the client (or an empty client: known not to exist).
     */
    public Optional<Optional<Client>> cached(String apiKey) {
        String h = hash(apiKey);
        Client c = configured.get(h);
        if (c != null) {
            return Optional.of(Optional.of(c));
        }
        return Optional.ofNullable(cache.getIfPresent(h));
    }

    /** The client of a key, from configuration, the cache or PostgreSQL (then cached). */
    public Optional<Client> find(String apiKey) {
        Optional<Optional<Client>> known = cached(apiKey);
        if (known.isPresent()) {
            return known.get();
        }
        String h = hash(apiKey);
        Optional<Client> found = lookup(h);
        cache.put(h, found);
        return found;
    }

    /** Database lookups made so far (the cost an unknown key can impose). */
    public long lookups() {
        return lookups.sum();
    }

    private Optional<Client> lookup(String keyHash) {
        if (db == null) {
            return Optional.empty();
        }
        lookups.increment();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(RateLimitSql.SELECT_CLIENT_BY_KEY_HASH)) {
            ps.setString(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String scopes = rs.getString(3);
                return Optional.of(
                        new Client(
                                rs.getString(1),
                                rs.getString(2),
                                Scopes.known(scopes == null ? "" : scopes)));
            }
        } catch (SQLException e) {
            throw ApiException.unavailable("client store unavailable", e);
        }
    }
}

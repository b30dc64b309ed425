package dev.shoppulse.common.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shoppulse.common.events.TopSearches;
import dev.shoppulse.common.serde.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Publishes and reads the hourly top-searches rankings ({@link RedisKeys#topSearchesHour}, {@link
 * RedisKeys#topSearchesLatest}, {@link RedisKeys#topSearchesProvisional}).
 *
 * <p>Every publish is one Lua script, so a reader sees the old ranking or the new one, never half
 * of either, and the latest-hour pointer only moves forward. A ranking whose content (digest) is
 * already stored is not rewritten, so a restart that recomputes an hour leaves it byte-identical,
 * {@code generatedAt} included.
 */
public final class TopSearchesRedis {
    /**
     * KEYS[1] = hour hash, KEYS[2] = latest pointer; ARGV = ranking JSON, digest, ttl ms, hour
     * start.
     */
    static final LuaScript PUBLISH_FINAL =
            new LuaScript(
                    "top-searches-final",
                    """
                    local changed = 0
                    if redis.call('HGET', KEYS[1], 'digest') ~= ARGV[2] then
                      redis.call('HSET', KEYS[1], 'ranking', ARGV[1], 'digest', ARGV[2],
                                 'windowStart', ARGV[4])
                      changed = 1
                    end
                    redis.call('PEXPIRE', KEYS[1], ARGV[3])
                    local latest = redis.call('GET', KEYS[2])
                    if (not latest) or latest < ARGV[4] then
                      redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3])
                    elseif latest == ARGV[4] then
                      redis.call('PEXPIRE', KEYS[2], ARGV[3])
                    end
                    return changed
                    """);

    /** KEYS[1] = provisional hash; ARGV = ranking JSON, digest, ttl ms, hour start. */
    static final LuaScript PUBLISH_PROVISIONAL =
            new LuaScript(
                    "top-searches-provisional",
                    """
                    local cur = redis.call('HGET', KEYS[1], 'windowStart')
                    if cur and cur > ARGV[4] then
                      return 0
                    end
                    if cur == ARGV[4] and redis.call('HGET', KEYS[1], 'digest') == ARGV[2] then
                      redis.call('PEXPIRE', KEYS[1], ARGV[3])
                      return 0
                    end
                    redis.call('HSET', KEYS[1], 'ranking', ARGV[1], 'digest', ARGV[2],
                               'windowStart', ARGV[4])
                    redis.call('PEXPIRE', KEYS[1], ARGV[3])
                    return 1
                    """);

    /** A stored ranking with the digest of its content (the API's ETag). */
    public record Stored(TopSearches ranking, String digest) {}

    private final Redis redis;
    private final RedisKeys keys;
    private final Duration ttl;

    public TopSearchesRedis(Redis redis, Duration ttl) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = redis.keys();
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /** Publishes a final or provisional ranking; true when Redis content changed. */
    public boolean publish(TopSearches ranking) {
        String json = Json.writeString(ranking);
        String start = ranking.windowStart().toString();
        List<String> args = List.of(json, digest(ranking), String.valueOf(ttl.toMillis()), start);
        Object r =
                ranking.provisional()
                        ? redis.eval(
                                PUBLISH_PROVISIONAL, List.of(keys.topSearchesProvisional()), args)
                        : redis.eval(
                                PUBLISH_FINAL,
                                List.of(keys.topSearchesHour(start), keys.topSearchesLatest()),
                                args);
        return Long.valueOf(1).equals(r);
    }

    /** The start of the latest hour with a final ranking. */
    public Optional<Instant> latestHour() {
        String s = redis.get(keys.topSearchesLatest());
        return s == null ? Optional.empty() : Optional.of(Instant.parse(s));
    }

    public Optional<Stored> hour(Instant hourStart) {
        return read(keys.topSearchesHour(hourStart.toString()));
    }

    public Optional<Stored> latest() {
        return latestHour().flatMap(this::hour);
    }

    public Optional<Stored> provisional() {
        return read(keys.topSearchesProvisional());
    }

    private Optional<Stored> read(String key) {
        List<String> v = redis.hmget(key, "ranking", "digest");
        if (v == null || v.get(0) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new Stored(Json.MAPPER.readValue(v.get(0), TopSearches.class), v.get(1)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable ranking at " + key, e);
        }
    }

    /** SHA-256 over everything but generatedAt: equal digests mean equal rankings. */
    public static String digest(TopSearches r) {
        String content =
                Json.writeString(
                        List.of(
                                r.windowStart().toString(),
                                r.windowEnd().toString(),
                                r.provisional(),
                                r.entries()));
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(content.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}

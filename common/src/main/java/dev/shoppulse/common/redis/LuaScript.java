package dev.shoppulse.common.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A named Lua script, declared once as a constant and run through {@link Redis#eval} or {@link
 * Redis.Batch#eval} with EVALSHA; its SHA1 is computed here, so no call needs a round trip to learn
 * it and a server that forgot the script (restart, SCRIPT FLUSH) is given it again.
 */
public final class LuaScript {
    private final String name;
    private final String source;
    private final String sha;
    private final byte[] shaBytes;

    public LuaScript(String name, String source) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        this.sha = sha1(source);
        this.shaBytes = sha.getBytes(StandardCharsets.US_ASCII);
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    /** The SHA1 Redis knows this script by (the hex SHA1 of its source). */
    public String sha() {
        return sha;
    }

    /** {@link #sha()} as the bytes sent with EVALSHA; shared, never to be modified. */
    byte[] shaBytes() {
        return shaBytes;
    }

    /**
     * Loads the script and returns its SHA1; for code still on a bare Jedis client. New code uses
     * {@link Redis}.
     */
    public String sha(UnifiedJedis redis) {
        redis.scriptLoad(source);
        return sha;
    }

    /**
     * EVALSHA on a bare Jedis client, loading the script on NOSCRIPT; for code still on a bare
     * Jedis client. New code uses {@link Redis#eval}, which also counts failures.
     */
    public Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            redis.scriptLoad(source);
            return redis.evalsha(sha, keys, args);
        }
    }

    static String sha1(String source) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-1")
                                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JRE", e);
        }
    }

    @Override
    public String toString() {
        return "LuaScript[" + name + ", " + sha + "]";
    }
}

package dev.shoppulse.common.redis;

import java.util.List;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run with EVALSHA: loaded once with SCRIPT LOAD, re-loaded transparently if the
 * server forgot it (a restart or SCRIPT FLUSH), so every call is one round trip.
 */
public final class LuaScript {
    private final String name;
    private final String source;
    private volatile String sha;

    public LuaScript(String name, String source) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    /** The SHA1 the server knows this script by, loading it if needed. */
    public String sha(UnifiedJedis redis) {
        String s = sha;
        if (s == null) {
            s = redis.scriptLoad(source);
            sha = s;
        }
        return s;
    }

    public Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha(redis), keys, args);
        } catch (JedisNoScriptException e) {
            sha = null;
            return redis.evalsha(sha(redis), keys, args);
        }
    }
}

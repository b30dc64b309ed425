package dev.shoppulse.common.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * ShopPulse's one way to talk to Redis: a pooled client built from {@link RedisSettings}, Lua
 * scripts run with EVALSHA and given to the server again whenever it forgot them (also inside
 * pipelines), and every failed command raised as a {@link RedisFailure} and reported to a {@link
 * RedisFailureListener}, never dropped.
 *
 * <p>Open it where a client may live (a sink writer, {@code open(OpenContext)}, a service) and
 * close it with try-with-resources or in {@code close()}; it is thread-safe.
 */
public final class Redis implements AutoCloseable {
    /** Rounds of SCRIPT LOAD and re-run a pipeline may take before NOSCRIPT counts as a failure. */
    private static final int SCRIPT_RELOAD_ROUNDS = 3;

    private final RedisClient client;
    private final RedisKeys keys;
    private final RedisFailureListener listener;

    /** The scripts this port has run, by name: one name, one source. */
    private final Map<String, LuaScript> scripts = new ConcurrentHashMap<>();

    private Redis(RedisClient client, RedisKeys keys, RedisFailureListener listener) {
        this.client = client;
        this.keys = keys;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** A client with the settings' timeout and a small pool. */
    public static Redis open(RedisSettings settings, RedisFailureListener listener) {
        return open(settings, settings.timeout(), 8, listener);
    }

    /** A client whose failures only surface as exceptions (tools, tests). */
    public static Redis open(RedisSettings settings) {
        return open(settings, RedisFailureListener.NONE);
    }

    /**
     * A client with its own timeout and pool size, e.g. the rate limiter's: a decision must fail
     * within milliseconds and every request thread needs a connection. The password is read from
     * the environment here, so it never travels with the settings.
     */
    public static Redis open(
            RedisSettings settings, Duration timeout, int poolSize, RedisFailureListener listener) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMinIdle(Math.min(2, poolSize));
        pool.setMaxWait(timeout);
        RedisClient client =
                RedisClient.builder()
                        .hostAndPort(new HostAndPort(settings.host(), settings.port()))
                        .clientConfig(clientConfig(timeout))
                        .poolConfig(pool)
                        .build();
        return new Redis(client, settings.keys(), listener);
    }

    /**
     * Every ShopPulse Redis connection's settings: one timeout for connect and socket, and the
     * password from the environment, read here so it never travels with the settings.
     */
    static DefaultJedisClientConfig clientConfig(Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        DefaultJedisClientConfig.Builder cfg =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(millis)
                        .socketTimeoutMillis(millis);
        String password = RedisSettings.passwordFromEnvironment();
        if (password != null) {
            cfg.password(password);
        }
        return cfg.build();
    }

    public RedisKeys keys() {
        return keys;
    }

    /** Runs a script with EVALSHA; when the server answers NOSCRIPT, loads it and runs it again. */
    public Object eval(LuaScript script, List<String> keys, List<String> args) {
        register(script);
        return call(
                "EVALSHA " + script.name(),
                r -> {
                    try {
                        return r.evalsha(script.sha(), keys, args);
                    } catch (JedisNoScriptException e) {
                        reload(r, script);
                        return r.evalsha(script.sha(), keys, args);
                    }
                });
    }

    /** Loads scripts now, so the first call after start is one round trip like every other. */
    public void load(LuaScript... toLoad) {
        for (LuaScript s : toLoad) {
            register(s);
            call("SCRIPT LOAD " + s.name(), r -> r.scriptLoad(s.source()));
        }
    }

    /** A pipeline: commands queued here go to Redis in one round trip on {@link Batch#run()}. */
    public Batch batch() {
        return new Batch();
    }

    public String get(String key) {
        return call("GET", r -> r.get(key));
    }

    public Map<String, String> hgetAll(String key) {
        return call("HGETALL", r -> r.hgetAll(key));
    }

    public List<String> hmget(String key, String... fields) {
        return call("HMGET", r -> r.hmget(key, fields));
    }

    public boolean exists(String key) {
        return call("EXISTS", r -> r.exists(key));
    }

    public long del(String... keys) {
        return call("DEL", r -> r.del(keys));
    }

    public long zrem(String key, String member) {
        return call("ZREM", r -> r.zrem(key, member));
    }

    /** Milliseconds the key has left, -1 without expiry, -2 when it does not exist. */
    public long pttl(String key) {
        return call("PTTL", r -> r.pttl(key));
    }

    /** PING; throws when Redis does not answer. */
    public String ping() {
        return call("PING", UnifiedJedis::ping);
    }

    /** Hands every page of keys matching a pattern (SCAN, never KEYS) to a consumer. */
    public void scan(String pattern, Consumer<List<String>> page) {
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            String c = cursor;
            ScanResult<String> result =
                    call("SCAN", r -> r.scan(c, new ScanParams().match(pattern).count(500)));
            if (!result.getResult().isEmpty()) {
                page.accept(result.getResult());
            }
            cursor = result.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    /** Deletes every key matching a pattern; returns how many. */
    public long deleteMatching(String pattern) {
        long[] n = {0};
        scan(pattern, page -> n[0] += del(page.toArray(new String[0])));
        return n[0];
    }

    /**
     * Any other command, with the same failure handling. For an adapter of a library that wants a
     * bare client (Bucket4j in a benchmark) use {@link #client()} instead.
     */
    public <T> T call(String operation, Function<UnifiedJedis, T> command) {
        try {
            return command.apply(client);
        } catch (JedisException e) {
            throw fail(operation, e);
        }
    }

    /**
     * The underlying client, for a third-party library that needs one; failures are not counted.
     */
    public UnifiedJedis client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }

    private void register(LuaScript script) {
        LuaScript known = scripts.putIfAbsent(script.name(), script);
        if (known != null && !known.sha().equals(script.sha())) {
            throw new IllegalStateException(
                    "two different Lua scripts are named " + script.name() + ": rename one");
        }
    }

    private void reload(UnifiedJedis r, LuaScript script) {
        String sha = r.scriptLoad(script.source());
        if (!script.sha().equals(sha)) {
            throw new IllegalStateException(
                    "Redis hashed script "
                            + script.name()
                            + " as "
                            + sha
                            + ", not "
                            + script.sha());
        }
        listener.scriptReloaded(script.name());
    }

    private RedisFailure fail(String operation, RuntimeException e) {
        listener.failed(operation, e);
        return new RedisFailure("Redis " + operation + " failed: " + e.getMessage(), e);
    }

    /**
     * Commands sent to Redis in one round trip. {@link #run()} reads every reply: a script the
     * server forgot is loaded and the commands that hit NOSCRIPT run again; any other error reply
     * is counted and thrown after the whole batch was read. Those re-runs come after the rest of
     * the batch, so commands on one key must commute (guarded writes do); commands that did succeed
     * are never sent twice.
     */
    public final class Batch {
        private record Command(
                String name, LuaScript script, Function<AbstractPipeline, Response<?>> send) {}

        private final List<Command> commands = new ArrayList<>();

        private Batch() {}

        public Batch eval(LuaScript script, List<String> keys, List<String> args) {
            register(script);
            List<String> k = List.copyOf(keys);
            List<String> a = List.copyOf(args);
            commands.add(
                    new Command(
                            "EVALSHA " + script.name(),
                            script,
                            p -> p.evalsha(script.sha(), k, a)));
            return this;
        }

        /** SET with a time to live (PSETEX). */
        public Batch set(String key, String value, Duration ttl) {
            long millis = ttl.toMillis();
            commands.add(new Command("PSETEX", null, p -> p.psetex(key, millis, value)));
            return this;
        }

        public int size() {
            return commands.size();
        }

        /**
         * Sends every command and returns their replies in order.
         *
         * @throws RedisFailure when the connection failed or any command's reply was an error (the
         *     other commands have run); every failed command was reported to the listener
         */
        public List<Object> run() {
            Object[] replies = new Object[commands.size()];
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                pending.add(i);
            }
            List<RuntimeException> errors = new ArrayList<>();
            for (int round = 0; !pending.isEmpty(); round++) {
                List<Integer> noScript = new ArrayList<>();
                Map<Integer, Response<?>> responses = send(pending);
                for (Map.Entry<Integer, Response<?>> e : responses.entrySet()) {
                    Command c = commands.get(e.getKey());
                    try {
                        replies[e.getKey()] = e.getValue().get();
                    } catch (JedisDataException ex) {
                        if (c.script() != null && isNoScript(ex) && round < SCRIPT_RELOAD_ROUNDS) {
                            noScript.add(e.getKey());
                        } else {
                            listener.failed(c.name(), ex);
                            errors.add(ex);
                        }
                    }
                }
                if (!noScript.isEmpty()) {
                    Map<String, LuaScript> forgotten = new LinkedHashMap<>();
                    for (int i : noScript) {
                        LuaScript s = commands.get(i).script();
                        forgotten.put(s.name(), s);
                    }
                    for (LuaScript s : forgotten.values()) {
                        try {
                            reload(client, s);
                        } catch (JedisException ex) {
                            throw fail("SCRIPT LOAD " + s.name(), ex);
                        }
                    }
                }
                pending = noScript;
            }
            if (!errors.isEmpty()) {
                RedisFailure f =
                        new RedisFailure(
                                errors.size()
                                        + " of "
                                        + commands.size()
                                        + " Redis commands failed, first: "
                                        + errors.get(0).getMessage(),
                                errors.get(0));
                errors.stream().skip(1).limit(4).forEach(f::addSuppressed);
                throw f;
            }
            return Arrays.asList(replies);
        }

        private Map<Integer, Response<?>> send(List<Integer> indices) {
            Map<Integer, Response<?>> responses = new LinkedHashMap<>();
            try (AbstractPipeline p = client.pipelined()) {
                for (int i : indices) {
                    responses.put(i, commands.get(i).send().apply(p));
                }
                p.sync();
            } catch (JedisException e) {
                throw fail("pipeline of " + indices.size() + " commands", e);
            }
            return responses;
        }
    }

    private static boolean isNoScript(JedisDataException e) {
        return e instanceof JedisNoScriptException
                || (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"));
    }
}

package dev.shoppulse.common.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Script calls of many threads coalesced into pipelines on a few connections: the latency-critical
 * path of the rate limiter, where a pooled connection per call spent more time on the pool, the
 * system calls and the context switches of a round trip than Redis spent on the script.
 *
 * <p>How it works (flat combining): a caller queues its call and, if a connection is free, becomes
 * the leader: it takes every queued call (at most {@code maxBatch}), writes them all, flushes once,
 * reads the replies in order, hands each caller its own reply or its own error, gives the
 * connection back and wakes the callers. A caller that finds every connection busy parks; the
 * leader that next frees a connection wakes the oldest waiting caller, which leads the next batch.
 * So a lone caller pays exactly one round trip and never waits for a batch to fill, while under
 * load one round trip carries every call that arrived during the previous one. Each call is still
 * exactly one EVALSHA.
 *
 * <p>Failures are per call: an error reply (WRONGTYPE...) fails only its own caller; a NOSCRIPT
 * (server restarted or flushed its scripts) makes the leader load the script on the same connection
 * and send just the refused calls again; a broken connection (timeout, refused, reset) fails the
 * calls of that batch, closes it, and the next leader connects anew. Every failure is a {@link
 * RedisFailure} reported to the listener. A call is bounded by the connection's timeout per round
 * trip; a caller waiting behind a busy connection also waits for that batch.
 */
public final class ScriptPipeline implements AutoCloseable {
    /** Rounds of SCRIPT LOAD and re-send a batch may take before NOSCRIPT counts as a failure. */
    private static final int SCRIPT_RELOAD_ROUNDS = 3;

    private static final byte[] LOAD = "LOAD".getBytes(StandardCharsets.US_ASCII);

    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    private final RedisFailureListener listener;
    private final int maxBatch;
    private final long parkNanos;
    private final Map<String, LuaScript> scripts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Call> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedDeque<Lane> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private volatile boolean closed;

    /** One queued script call and, once answered, its reply or its failure. */
    private static final class Call {
        final LuaScript script;
        final byte[][] args;
        final Thread caller;
        Object reply;
        RuntimeException failure;
        volatile boolean done;

        Call(LuaScript script, byte[][] args, Thread caller) {
            this.script = script;
            this.args = args;
            this.caller = caller;
        }
    }

    /** One connection, used by one leader at a time. */
    private final class Lane {
        Connection connection;

        Connection connection() {
            if (closed) {
                throw new IllegalStateException("script pipeline closed");
            }
            if (connection == null) {
                connection = new Connection(address, clientConfig);
            }
            return connection;
        }

        void discard() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (RuntimeException e) {
                    // Already broken; nothing more to release.
                }
                connection = null;
            }
        }
    }

    private ScriptPipeline(
            HostAndPort address,
            JedisClientConfig clientConfig,
            int connections,
            int maxBatch,
            long parkNanos,
            RedisFailureListener listener) {
        this.address = address;
        this.clientConfig = clientConfig;
        this.maxBatch = maxBatch;
        this.parkNanos = parkNanos;
        this.listener = Objects.requireNonNull(listener, "listener");
        for (int i = 0; i < connections; i++) {
            idle.add(new Lane());
        }
    }

    /**
     * A pipeline of {@code connections} connections (opened on first use) with the given connect
     * and socket timeout, carrying at most {@code maxBatch} calls per round trip.
     */
    public static ScriptPipeline open(
            RedisSettings settings,
            Duration timeout,
            int connections,
            int maxBatch,
            RedisFailureListener listener) {
        if (connections < 1 || maxBatch < 1) {
            throw new IllegalArgumentException(
                    "a script pipeline needs at least one connection and a batch of one");
        }
        return new ScriptPipeline(
                new HostAndPort(settings.host(), settings.port()),
                Redis.clientConfig(timeout),
                connections,
                maxBatch,
                // A waiting caller re-checks at least this often whether it should lead; in
                // normal operation it is woken long before.
                Math.max(1_000_000L, timeout.toNanos()),
                listener);
    }

    /**
     * Runs {@code script} with EVALSHA: {@code keysAndArgs} holds its {@code numKeys} keys, then
     * its arguments. Returns the script's reply.
     *
     * @throws RedisFailure on an error reply or a connection failure
     */
    public Object eval(LuaScript script, int numKeys, String... keysAndArgs) {
        byte[][] args = new byte[keysAndArgs.length + 2][];
        args[0] = script.shaBytes();
        args[1] = numKeys < NUMBERS.length ? NUMBERS[numKeys] : bytes(Integer.toString(numKeys));
        for (int i = 0; i < keysAndArgs.length; i++) {
            args[i + 2] = bytes(keysAndArgs[i]);
        }
        return evalRaw(script, args);
    }

    /**
     * {@link #eval} with keys and arguments already encoded, for a hot path that keeps its constant
     * arguments encoded once; the arrays are sent as they are and must not change afterwards.
     */
    public Object evalEncoded(LuaScript script, int numKeys, byte[]... keysAndArgs) {
        byte[][] args = new byte[keysAndArgs.length + 2][];
        args[0] = script.shaBytes();
        args[1] = numKeys < NUMBERS.length ? NUMBERS[numKeys] : bytes(Integer.toString(numKeys));
        System.arraycopy(keysAndArgs, 0, args, 2, keysAndArgs.length);
        return evalRaw(script, args);
    }

    private static final byte[][] NUMBERS = {bytes("0"), bytes("1"), bytes("2"), bytes("3")};

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Object evalRaw(LuaScript script, byte[][] args) {
        register(script);
        if (closed) {
            throw new RedisFailure("Redis EVALSHA " + script.name() + " failed: closed", null);
        }
        Call call = new Call(script, args, Thread.currentThread());
        queue.offer(call);
        boolean interrupted = false;
        while (!call.done) {
            Lane lane = idle.pollFirst();
            if (lane != null) {
                lead(lane);
                continue;
            }
            LockSupport.parkNanos(this, parkNanos);
            // A leader answers every call it took within its timeout, so keep waiting and let the
            // caller see the interrupt afterwards.
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (call.failure != null) {
            // One failure may answer a whole batch: each caller throws its own, with its own stack.
            throw new RedisFailure(call.failure.getMessage(), call.failure.getCause());
        }
        return call.reply;
    }

    /** Loads scripts now, so the first call after start is one round trip like every other. */
    public void load(LuaScript... toLoad) {
        Lane lane = takeLane();
        try {
            for (LuaScript s : toLoad) {
                register(s);
                loadOn(lane, s);
            }
        } catch (JedisException e) {
            lane.discard();
            throw fail("SCRIPT LOAD", e);
        } finally {
            release(lane);
        }
    }

    /** Round trips so far; with {@link #calls()}, the mean batch size. */
    public long batches() {
        return batches.get();
    }

    /** Calls answered so far (replies and failures). */
    public long calls() {
        return calls.get();
    }

    @Override
    public void close() {
        closed = true;
        List<Lane> taken = new ArrayList<>();
        Lane lane;
        while ((lane = idle.pollFirst()) != null) {
            lane.discard();
            taken.add(lane);
        }
        // The lanes go back without connections: a call that slipped in while closing still finds
        // one, and its batch fails at once (a closed lane does not connect). Lanes in use are
        // closed by their leader on release.
        taken.forEach(idle::offerFirst);
        Call c;
        while ((c = queue.poll()) != null) {
            finish(c, null, new RedisFailure("Redis EVALSHA failed: closed", null));
            LockSupport.unpark(c.caller);
        }
    }

    private Lane takeLane() {
        Lane lane;
        while ((lane = idle.pollFirst()) == null) {
            if (closed) {
                throw new RedisFailure("Redis script pipeline closed", null);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return lane;
    }

    /**
     * Runs one batch of queued calls on {@code lane}, releases it, hands leadership on if calls are
     * still queued, then wakes the answered callers.
     */
    private void lead(Lane lane) {
        // The batch's own array: once the lane is released another leader may use it while this
        // one still wakes its callers.
        Call[] batch = new Call[maxBatch];
        int n = 0;
        Call c;
        while (n < maxBatch && (c = queue.poll()) != null) {
            batch[n++] = c;
        }
        try {
            if (n > 0) {
                run(lane, batch, n);
            }
        } catch (RuntimeException e) {
            lane.discard();
            RedisFailure f =
                    new RedisFailure("Redis pipeline of " + n + " EVALSHA failed: " + e, e);
            for (int i = 0; i < n; i++) {
                if (!batch[i].done) {
                    finish(batch[i], null, f);
                }
            }
            try {
                listener.failed("pipeline of " + n + " EVALSHA", e);
            } catch (RuntimeException ignored) {
                // The callers have their failure; a failing listener must not strand them.
            }
        } finally {
            // Whatever went wrong, no caller of this batch may be left waiting for an answer.
            for (int i = 0; i < n; i++) {
                if (!batch[i].done) {
                    finish(batch[i], null, new RedisFailure("Redis EVALSHA failed", null));
                }
            }
            release(lane);
            Thread me = Thread.currentThread();
            for (int i = 0; i < n; i++) {
                Thread t = batch[i].caller;
                if (t != me) {
                    LockSupport.unpark(t);
                }
            }
        }
    }

    private void release(Lane lane) {
        if (closed) {
            lane.discard();
        }
        idle.offerFirst(lane);
        // Calls queued while every lane was busy have parked; the oldest one leads next. (A call
        // queued after this check finds this lane idle itself.)
        Call next = queue.peek();
        if (next != null) {
            LockSupport.unpark(next.caller);
        }
    }

    private void run(Lane lane, Call[] batch, int n) {
        Call[] pending = batch;
        int count = n;
        for (int round = 0; count > 0; round++) {
            Object[] replies;
            try {
                Connection conn = lane.connection();
                for (int i = 0; i < count; i++) {
                    conn.sendCommand(Protocol.Command.EVALSHA, pending[i].args);
                }
                replies = conn.getMany(count).toArray();
            } catch (JedisException | IllegalStateException e) {
                lane.discard();
                RedisFailure f = fail("pipeline of " + count + " EVALSHA", e);
                for (int i = 0; i < count; i++) {
                    finish(pending[i], null, f);
                }
                return;
            }
            batches.incrementAndGet();
            int again = 0;
            Call[] refused = null;
            for (int i = 0; i < count; i++) {
                Call call = pending[i];
                if (!(replies[i] instanceof JedisDataException e)) {
                    finish(call, replies[i], null);
                } else if (isNoScript(e) && round < SCRIPT_RELOAD_ROUNDS) {
                    if (refused == null) {
                        refused = new Call[count];
                    }
                    refused[again++] = call;
                } else {
                    finish(call, null, fail("EVALSHA " + call.script.name(), e));
                }
            }
            if (again > 0 && !reload(lane, refused, again)) {
                return;
            }
            // The refused calls did not run; sending them again runs each exactly once.
            pending = refused;
            count = again;
        }
    }

    /** Loads every script the refused calls need; on failure fails them and returns false. */
    private boolean reload(Lane lane, Call[] refused, int count) {
        LuaScript last = null;
        try {
            for (int i = 0; i < count; i++) {
                LuaScript s = refused[i].script;
                if (s != last) {
                    loadOn(lane, s);
                    listener.scriptReloaded(s.name());
                    last = s;
                }
            }
            return true;
        } catch (JedisException | IllegalStateException e) {
            lane.discard();
            RedisFailure f = fail("SCRIPT LOAD", e);
            for (int i = 0; i < count; i++) {
                finish(refused[i], null, f);
            }
            return false;
        }
    }

    private void loadOn(Lane lane, LuaScript script) {
        Object sha =
                lane.connection()
                        .executeCommand(
                                new CommandArguments(Protocol.Command.SCRIPT)
                                        .add(LOAD)
                                        .add(script.source()));
        String got = sha instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : "" + sha;
        if (!script.sha().equals(got)) {
            throw new IllegalStateException(
                    "Redis hashed script "
                            + script.name()
                            + " as "
                            + got
                            + ", not "
                            + script.sha());
        }
    }

    private void finish(Call call, Object reply, RuntimeException failure) {
        call.reply = reply;
        call.failure = failure;
        calls.incrementAndGet();
        call.done = true;
    }

    private void register(LuaScript script) {
        LuaScript known = scripts.putIfAbsent(script.name(), script);
        if (known != null && known != script && !known.sha().equals(script.sha())) {
            throw new IllegalStateException(
                    "two different Lua scripts are named " + script.name() + ": rename one");
        }
    }

    private RedisFailure fail(String operation, RuntimeException e) {
        listener.failed(operation, e);
        return new RedisFailure("Redis " + operation + " failed: " + e.getMessage(), e);
    }

    private static boolean isNoScript(JedisDataException e) {
        return e instanceof JedisNoScriptException
                || (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"));
    }
}

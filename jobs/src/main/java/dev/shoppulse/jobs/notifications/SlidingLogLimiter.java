package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.redis.LuaScript;
import dev.shoppulse.common.redis.Redis;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The global call budget every email sink subtask draws from: a sliding log of provider calls in
 * one Redis sorted set, checked and appended atomically by a Lua script on Redis's clock.
 *
 * <p>Why it never lets a provider window overflow: a call is logged when it is granted with the
 * score "now + lease" (so it counts for as long as it may still reach the provider), and when its
 * answer arrives the score drops to that moment, which is no earlier than the provider received it.
 * A grant is given only while fewer than {@code limit} logged calls are younger than {@code window
 * + margin}. Take any provider window holding limit+1 calls and the last of them to be granted:
 * every other one was then either in flight or answered less than a window earlier, so the log held
 * {@code limit} of them and the grant was refused. The margin only absorbs clock granularity (Redis
 * microseconds vs. the provider's clock); crashed callers' entries expire after their lease.
 *
 * <p>Why it survives losing the log: the provider keeps counting calls that Redis forgot (a restart
 * without persistence, a flush, an eviction), so an empty log is not proof of an empty window. The
 * log therefore carries a marker member ({@code #epoch}, score +inf) that is written with it and
 * never expires on its own; the key has no TTL. A log without the marker is lost (or new, which is
 * indistinguishable and treated alike): the script writes the marker and a pause of one window +
 * lease, so no call is granted until every call granted before the loss has been answered or timed
 * out and has left the provider's window. The marker sits in the same key as the calls, so one
 * cannot be lost without the other.
 *
 * <p>The pause ({@code #pause}, score = resume time µs) is also how a 429 stops every subtask: the
 * caller that received it writes its (clamped) Retry-After, and every acquire refuses until then.
 *
 * <p>The scripts run through the {@link Redis} port (EVALSHA, loaded again when the server forgot
 * them); a failed call throws {@link dev.shoppulse.common.redis.RedisFailure}, after which the
 * dispatcher waits instead of calling without a permit.
 */
public final class SlidingLogLimiter implements CallLimiter {

    /** The member that marks the log as intact; its score (+inf) keeps it out of every range. */
    static final String EPOCH = "#epoch";

    /** The member whose score is the time (µs) until which nobody may call. */
    static final String PAUSE = "#pause";

    /**
     * KEYS[1] = call log; ARGV = limit, window µs, lease µs, call id → {granted, wait ms, outcome}
     * with outcome 0 = granted or throttled, 1 = paused, 2 = the log was lost (or is new).
     */
    static final LuaScript ACQUIRE =
            new LuaScript(
                    "notify-acquire",
                    """
                    local t = redis.call('TIME')
                    local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
                    local limit = tonumber(ARGV[1])
                    local window = tonumber(ARGV[2])
                    local lease = tonumber(ARGV[3])
                    local pause = redis.call('ZSCORE', KEYS[1], '#pause')
                    if not redis.call('ZSCORE', KEYS[1], '#epoch') then
                      local resume = now + window + lease
                      redis.call('ZADD', KEYS[1], '+inf', '#epoch')
                      if (not pause) or tonumber(pause) < resume then
                        redis.call('ZADD', KEYS[1], resume, '#pause')
                        pause = resume
                      end
                      return {0, math.ceil((tonumber(pause) - now) / 1000), 2}
                    end
                    if pause then
                      pause = tonumber(pause)
                      if pause > now then
                        return {0, math.ceil((pause - now) / 1000), 1}
                      end
                      redis.call('ZREM', KEYS[1], '#pause')
                    end
                    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
                    if redis.call('ZCARD', KEYS[1]) - 1 < limit then
                      redis.call('ZADD', KEYS[1], now + lease, ARGV[4])
                      return {1, 0, 0}
                    end
                    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
                    return {0, math.ceil((tonumber(oldest[2]) + window - now) / 1000), 0}
                    """);

    /**
     * KEYS[1] = call log; ARGV = delay µs. Moves the pause to now + delay unless it already ends
     * later; returns the pause left in ms. On a lost log it writes no marker, so the next acquire
     * still sees the loss.
     */
    static final LuaScript PAUSE_ALL =
            new LuaScript(
                    "notify-pause",
                    """
                    local t = redis.call('TIME')
                    local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
                    local resume = now + tonumber(ARGV[1])
                    local pause = redis.call('ZSCORE', KEYS[1], '#pause')
                    if (not pause) or tonumber(pause) < resume then
                      redis.call('ZADD', KEYS[1], resume, '#pause')
                      pause = resume
                    end
                    return math.ceil((tonumber(pause) - now) / 1000)
                    """);

    /** KEYS[1] = call log; ARGV = call id. Moves the call's score down to "answered now". */
    static final LuaScript COMPLETE =
            new LuaScript(
                    "notify-complete",
                    """
                    local t = redis.call('TIME')
                    local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
                    return redis.call('ZADD', KEYS[1], 'XX', 'LT', now, ARGV[1])
                    """);

    /**
     * The margin added to the window: millisecond truncation between Redis's clock and the
     * provider's (2 ms) or a 100 ppm clock-rate difference over one window, whichever is larger.
     */
    public static Duration marginFor(Duration window) {
        return Duration.ofMillis(Math.max(2, window.toMillis() / 10_000));
    }

    /** No pause is ever longer than a day, whatever a caller passes (clamped before, too). */
    private static final long MAX_PAUSE_MS = 24L * 3600 * 1000;

    private final Redis redis;
    private final String key;
    private final int limit;
    private final long windowMicros;
    private final long leaseMicros;

    public SlidingLogLimiter(
            Redis redis, String key, int limit, Duration window, Duration margin, Duration lease) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.key = Objects.requireNonNull(key, "key");
        if (limit < 1) {
            throw new IllegalArgumentException("notifications.limit must be at least 1");
        }
        this.limit = limit;
        this.windowMicros = window.plus(margin).toNanos() / 1000;
        this.leaseMicros = lease.toNanos() / 1000;
    }

    @Override
    public Permit tryAcquire(String callId) {
        List<?> r =
                (List<?>)
                        redis.eval(
                                ACQUIRE,
                                List.of(key),
                                List.of(
                                        String.valueOf(limit),
                                        String.valueOf(windowMicros),
                                        String.valueOf(leaseMicros),
                                        callId));
        if ((Long) r.get(0) == 1L) {
            return Permit.GRANTED;
        }
        long wait = Math.max(1, (Long) r.get(1));
        long outcome = (Long) r.get(2);
        return new Permit(
                outcome == 2 ? Outcome.LOST : outcome == 1 ? Outcome.PAUSED : Outcome.THROTTLED,
                wait);
    }

    @Override
    public long pause(Duration delay) {
        long micros = Math.max(0, Math.min(delay.toMillis(), MAX_PAUSE_MS)) * 1000;
        return (Long) redis.eval(PAUSE_ALL, List.of(key), List.of(String.valueOf(micros)));
    }

    @Override
    public void completed(String callId) {
        redis.eval(COMPLETE, List.of(key), List.of(callId));
    }
}

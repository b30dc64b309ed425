package dev.shoppulse.jobs.metering;

import dev.shoppulse.common.redis.LuaScript;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisKeys;
import dev.shoppulse.common.redis.RedisSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

/**
 * Writes each client's latest window counts to {@link RedisKeys#meter} and puts abusive clients on
 * the block list ({@link RedisKeys#blocked}) with a TTL.
 *
 * <p>Counts are guarded by window end, so a replay after a restart never replaces a newer window
 * with an older one; blocking is idempotent (SET with a TTL), so replays only extend a block by the
 * time the replay took. A failed write fails the writer after counting it in {@code redisFailures},
 * so Flink restarts from the last checkpoint and replays; nothing is dropped.
 */
public final class MeterRedisSink implements Sink<MeterCount> {
    private static final long serialVersionUID = 1L;

    /** KEYS[1] = meter hash; ARGV = windowEnd, requests, limited, ttl ms. */
    static final LuaScript UPSERT_IF_NEWER =
            new LuaScript(
                    "meter-upsert",
                    """
                    local cur = redis.call('HGET', KEYS[1], 'windowEnd')
                    if cur and tonumber(cur) > tonumber(ARGV[1]) then return 0 end
                    redis.call('HSET', KEYS[1], 'windowEnd', ARGV[1], 'requests', ARGV[2],
                               'limited', ARGV[3])
                    redis.call('PEXPIRE', KEYS[1], ARGV[4])
                    return 1
                    """);

    private final RedisSettings redis;
    private final int abuseThreshold;
    private final Duration blockTtl;

    public MeterRedisSink(RedisSettings redis, int abuseThreshold, Duration blockTtl) {
        this.redis = redis;
        this.abuseThreshold = abuseThreshold;
        this.blockTtl = blockTtl;
    }

    /** How long a window's counts stay readable: one more window length. */
    static long ttlMillis(String window) {
        return switch (window) {
            case "1m" -> Duration.ofMinutes(1).toMillis();
            case "1h" -> Duration.ofHours(1).toMillis();
            default -> Duration.ofDays(1).toMillis();
        };
    }

    @Override
    public SinkWriter<MeterCount> createWriter(WriterInitContext context) {
        Counter failures = context.metricGroup().counter("redisFailures");
        return new Writer(
                Redis.open(redis, (operation, cause) -> failures.inc()),
                context.metricGroup().counter("blockedClients"));
    }

    private final class Writer implements SinkWriter<MeterCount> {
        private final Redis client;
        private final RedisKeys keys;
        private final Counter blocked;
        private final List<MeterCount> pending = new ArrayList<>();

        Writer(Redis client, Counter blocked) {
            this.client = client;
            this.keys = client.keys();
            this.blocked = blocked;
        }

        @Override
        public void write(MeterCount m, Context context) {
            pending.add(m);
            if (pending.size() >= 500) {
                flush(false);
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            if (pending.isEmpty()) {
                return;
            }
            Redis.Batch batch = client.batch();
            int blocks = 0;
            for (MeterCount m : pending) {
                batch.eval(
                        UPSERT_IF_NEWER,
                        List.of(keys.meter(m.window(), m.clientId())),
                        List.of(
                                Long.toString(m.windowEnd()),
                                Long.toString(m.requests()),
                                Long.toString(m.limited()),
                                Long.toString(ttlMillis(m.window()))));
                if (m.abusive(abuseThreshold)) {
                    batch.set(
                            keys.blocked(m.clientId()),
                            m.limited() + " x 429 in the minute up to " + m.windowEnd(),
                            blockTtl);
                    blocks++;
                }
            }
            // Throws on any failed command: pending stays and the task fails over.
            batch.run();
            blocked.inc(blocks);
            pending.clear();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}

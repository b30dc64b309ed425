package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderStatus;
import dev.shoppulse.common.redis.OrderStatusRedis;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

/**
 * Writes each order's latest status to Redis for dashboards.
 *
 * <p>Writes are coalesced per order between flushes and flushed before every checkpoint, so a
 * restart replays at most what the checkpoint did not cover; the {@code lastSeq}-guarded script
 * makes those replays harmless. A failed write fails the writer (and so the task: Flink restarts it
 * from the last checkpoint and the replay writes again) after counting it in {@code redisFailures};
 * nothing is dropped.
 */
public final class OrderStatusRedisSink implements Sink<OrderEvent> {
    private static final long serialVersionUID = 1L;

    private final RedisSettings redis;
    private final Duration ttl;
    private final int maxPending;

    public OrderStatusRedisSink(RedisSettings redis, Duration ttl, int maxPending) {
        this.redis = redis;
        this.ttl = ttl;
        this.maxPending = maxPending;
    }

    @Override
    public SinkWriter<OrderEvent> createWriter(WriterInitContext context) {
        Counter failures = context.metricGroup().counter("redisFailures");
        Redis client = Redis.open(redis, (operation, cause) -> failures.inc());
        return new Writer(client, new OrderStatusRedis(client, ttl));
    }

    private final class Writer implements SinkWriter<OrderEvent> {
        private final Redis client;
        private final OrderStatusRedis store;
        private final Map<String, OrderStatus> pending = new LinkedHashMap<>();

        Writer(Redis client, OrderStatusRedis store) {
            this.client = client;
            this.store = store;
        }

        @Override
        public void write(OrderEvent e, Context context) {
            // Events of one order arrive in seq order, so the last one wins.
            pending.put(e.orderId(), OrderStatus.of(e));
            if (pending.size() >= maxPending) {
                flush(false);
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            // Throws on any failed write: the pending statuses stay and the task fails over.
            store.upsertAll(pending.values());
            pending.clear();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}

package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderStatus;
import dev.shoppulse.common.redis.OrderStatusRedis;
import dev.shoppulse.common.redis.RedisSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import redis.clients.jedis.RedisClient;

/**
 * Writes each order's latest status to Redis for dashboards.
 *
 * <p>Writes are coalesced per order between flushes and flushed before every checkpoint, so a
 * restart replays at most what the checkpoint did not cover; the {@code lastSeq}-guarded script
 * makes those replays harmless.
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
        RedisClient client = redis.connect();
        return new Writer(client, new OrderStatusRedis(client, redis.keys(), ttl));
    }

    private final class Writer implements SinkWriter<OrderEvent> {
        private final RedisClient client;
        private final OrderStatusRedis store;
        private final Map<String, OrderStatus> pending = new LinkedHashMap<>();

        Writer(RedisClient client, OrderStatusRedis store) {
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
            store.upsertAll(pending.values());
            pending.clear();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}

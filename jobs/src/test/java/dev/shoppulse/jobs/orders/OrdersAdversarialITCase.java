package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.AdversarialContract;
import dev.shoppulse.jobs.flink.JobSetup;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Set;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The order job under the adversarial contract; a canary is a new order's first event. */
class OrdersAdversarialITCase extends AdversarialContract {
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = cluster(METRICS);

    OrdersAdversarialITCase() {
        super(METRICS, OrdersCapability.DEFINITION);
    }

    @Override
    protected Set<String> unpositionedStages() {
        // A status row is the sequenced event, which may stand for several Kafka records.
        return Set.of("order-status-postgres");
    }

    @Override
    protected ShopPulseConfig configure(ShopPulseConfig c) {
        // Gaps time out inside the test, so hostile sequence numbers reach the timer path too.
        return c.with(OrdersCapability.ORDERS_GAP_TIMEOUT, "1s");
    }

    @Override
    protected void wire(StreamExecutionEnvironment env) {
        OrderSequencingJob.topology(
                JobSetup.rawStream(
                        env, config, OrdersCapability.ORDERS, "adversarial", "orders-source"),
                config,
                OrderSequencingJob.sinks(config));
    }

    private static OrderEvent event(String order, long seq) {
        return new OrderEvent(
                order + "-e" + seq,
                order,
                seq,
                OrderEventType.ORDER_PLACED,
                Instant.now(),
                "{\"total\":1}");
    }

    @Override
    protected byte[] template() {
        return OrdersCapability.ORDERS.codec().encode(event("hostile-order", 1));
    }

    @Override
    protected ProducerRecord<byte[], byte[]> canary(String topic, int i) {
        String order = "canary-" + i;
        return new ProducerRecord<>(
                topic,
                order.getBytes(StandardCharsets.UTF_8),
                OrdersCapability.ORDERS.codec().encode(event(order, 1)));
    }

    @Override
    protected boolean canariesArrived(int canaries) throws Exception {
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT count(*) FROM order_status WHERE order_id LIKE 'canary-%'"
                                        + " AND status = 'PLACED'")) {
            rs.next();
            return rs.getLong(1) == canaries;
        }
    }
}

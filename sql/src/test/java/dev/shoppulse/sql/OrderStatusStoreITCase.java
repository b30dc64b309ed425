package dev.shoppulse.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.OrderStatus;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The order-status projection's upsert guard and row mapping against the real PostgreSQL. */
@Timeout(60)
class OrderStatusStoreITCase {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @RegisterExtension final MigratedSchema db = new MigratedSchema("ord");

    @Test
    void writtenStatusReadsBackAsItWasWritten() throws SQLException {
        OrderStatus paid = new OrderStatus("o-1", "PAID", "OrderPaid", 2, T0.plusMillis(1500));

        assertThat(OrderStatusStore.upsert(db.connection(), paid)).isTrue();

        assertThat(OrderStatusStore.find(db.connection(), "o-1")).contains(paid);
        assertThat(OrderStatusStore.find(db.connection(), "o-2")).isEmpty();
    }

    @Test
    void onlyALaterSeqMovesAnOrder() throws SQLException {
        OrderStatus shipped = new OrderStatus("o-1", "SHIPPED", "OrderShipped", 3, T0);
        OrderStatus paid = new OrderStatus("o-1", "PAID", "OrderPaid", 2, T0.minusSeconds(60));
        OrderStatus replayed =
                new OrderStatus("o-1", "PLACED", "OrderPlaced", 3, T0.plusSeconds(1));
        OrderStatus delivered =
                new OrderStatus("o-1", "DELIVERED", "OrderDelivered", 4, T0.plusSeconds(60));
        OrderStatusStore.upsert(db.connection(), shipped);

        // An older or equal seq (a replay after a restart, a reordered write) changes nothing.
        assertThat(OrderStatusStore.upsert(db.connection(), paid)).isFalse();
        assertThat(OrderStatusStore.upsert(db.connection(), replayed)).isFalse();
        assertThat(OrderStatusStore.find(db.connection(), "o-1")).contains(shipped);

        assertThat(OrderStatusStore.upsert(db.connection(), delivered)).isTrue();
        assertThat(OrderStatusStore.find(db.connection(), "o-1")).contains(delivered);
    }
}

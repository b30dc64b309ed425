package dev.shoppulse.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import dev.shoppulse.common.orders.OrdersCapability;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderEventCodecTest {
    private final JsonCodec<OrderEvent> codec = OrdersCapability.ORDERS.codec();

    private static final String VALID =
            "{\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":1,\"type\":\"OrderPlaced\","
                    + "\"occurredAt\":\"2026-11-27T10:00:00Z\",\"payload\":{\"amountCents\":1299}}";

    @Test
    void decodesAndEncodesTheWireFormat() throws Exception {
        OrderEvent e = codec.decode(VALID.getBytes(StandardCharsets.UTF_8));
        assertThat(e)
                .isEqualTo(
                        new OrderEvent(
                                "e1",
                                "o1",
                                1,
                                OrderEventType.ORDER_PLACED,
                                Instant.parse("2026-11-27T10:00:00Z"),
                                "{\"amountCents\":1299}"));
        assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
        assertThat(new String(codec.encode(e), StandardCharsets.UTF_8))
                .contains("\"type\":\"OrderPlaced\"")
                .contains("\"payload\":{\"amountCents\":1299}");
    }

    @Test
    void missingPayloadIsAnEmptyObject() throws Exception {
        String json = VALID.replace(",\"payload\":{\"amountCents\":1299}", "");
        assertThat(codec.decode(json.getBytes(StandardCharsets.UTF_8)).payload()).isEqualTo("{}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "truncated | {\"eventId\":\"e1\",\"orderId\" | malformed",
                "wrong seq type | {\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":\"1\",\"type\":\"OrderPlaced\",\"occurredAt\":\"2026-11-27T10:00:00Z\"} | malformed",
                "fractional seq | {\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":1.5,\"type\":\"OrderPlaced\",\"occurredAt\":\"2026-11-27T10:00:00Z\"} | malformed",
                "missing orderId | {\"eventId\":\"e1\",\"seq\":1,\"type\":\"OrderPlaced\",\"occurredAt\":\"2026-11-27T10:00:00Z\"} | orderId",
                "seq zero | {\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":0,\"type\":\"OrderPlaced\",\"occurredAt\":\"2026-11-27T10:00:00Z\"} | seq must be >= 1",
                "negative seq | {\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":-4,\"type\":\"OrderPlaced\",\"occurredAt\":\"2026-11-27T10:00:00Z\"} | seq must be >= 1",
                "unknown type | {\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":1,\"type\":\"OrderTeleported\",\"occurredAt\":\"2026-11-27T10:00:00Z\"} | OrderTeleported",
                "blank id | {\"eventId\":\" \",\"orderId\":\"o1\",\"seq\":1,\"type\":\"OrderPlaced\",\"occurredAt\":\"2026-11-27T10:00:00Z\"} | eventId is required",
                "bad time | {\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":1,\"type\":\"OrderPlaced\",\"occurredAt\":\"yesterday\"} | malformed",
                "payload not object | {\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":1,\"type\":\"OrderPlaced\",\"occurredAt\":\"2026-11-27T10:00:00Z\",\"payload\":[1]} | payload must be a JSON object",
                "array | [1,2,3] | malformed",
                "json null | null | null",
                "trailing garbage | {\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":1,\"type\":\"OrderPlaced\",\"occurredAt\":\"2026-11-27T10:00:00Z\"}xx | malformed",
            })
    void rejectsBadRecordsWithAReason(String name, String json, String reasonPart) {
        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining(reasonPart);
    }

    @Test
    void rejectsNullEmptyAndInvalidUtf8() {
        assertThatThrownBy(() -> codec.decode(null)).hasMessage("null value");
        assertThatThrownBy(() -> codec.decode(new byte[0])).hasMessage("empty value");
        byte[] bad = VALID.getBytes(StandardCharsets.UTF_8);
        bad[12] = (byte) 0xC3;
        bad[13] = (byte) 0x28; // an invalid two-byte sequence inside the eventId string
        assertThatThrownBy(() -> codec.decode(bad))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void deadLetterKeepsPositionAndTruncatesHugeValuesWithSizeAndDigest() {
        byte[] huge = new byte[10 * 1024 * 1024];
        DeadLetter d =
                DeadLetter.of(
                        "orders", 3, 42L, null, huge, "too big", "parse", Instant.EPOCH, 1024);
        assertThat(d.value()).hasSize(1024);
        assertThat(d.valueSize()).isEqualTo(huge.length);
        assertThat(d.valueSha256()).hasSize(64);
        assertThat(d.position()).isEqualTo("orders/3@42");
        DeadLetter nul =
                DeadLetter.of(
                        "orders", 0, 1L, null, null, "null value", "parse", Instant.EPOCH, 1024);
        assertThat(nul.valueSize()).isEqualTo(-1);
        assertThat(nul.valueSha256()).isNull();
    }

    @Test
    void deadLetterRoundTripsThroughItsCodec() throws Exception {
        JsonCodec<DeadLetter> dlq = OrdersCapability.ORDERS_DLQ.codec();
        DeadLetter d =
                DeadLetter.of(
                        "orders",
                        1,
                        7L,
                        "k".getBytes(),
                        new byte[] {(byte) 0xff, 0},
                        "bad",
                        "parse",
                        Instant.EPOCH,
                        10);
        assertThat(dlq.decode(dlq.encode(d))).isEqualTo(d);
    }
}

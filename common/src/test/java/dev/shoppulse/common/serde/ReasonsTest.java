package dev.shoppulse.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.orders.OrdersCapability;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reasons at their edges: the length cut, the escapes, and a pair never split by the cut. */
class ReasonsTest {

    @Test
    void aMissingReasonIsUnknown() {
        assertThat(Reasons.safe(null)).isEqualTo("unknown");
        assertThat(Reasons.safe(" ")).isEqualTo("unknown");
    }

    @Test
    void aReasonOfExactlyTheLimitIsKeptWhole() {
        String limit = "r".repeat(Reasons.MAX_CHARS);
        assertThat(Reasons.safe(limit)).isEqualTo(limit);
        String over = limit + "s";
        assertThat(Reasons.safe(over))
                .hasSize(Reasons.MAX_CHARS)
                .isEqualTo("r".repeat(Reasons.MAX_CHARS - 3) + "...");
    }

    @Test
    void controlsAndLoneSurrogatesAreEscapedAndPairsKept() {
        assertThat(Reasons.safe(" ~\u00a0")).isEqualTo(" ~\u00a0");
        assertThat(Reasons.safe("a\u001f\u007f\u009f\u2028\u2029"))
                .isEqualTo("a\\u001f\\u007f\\u009f\\u2028\\u2029");
        assertThat(Reasons.safe("a\ud83d\ude00")).isEqualTo("a\ud83d\ude00");
        assertThat(Reasons.safe("a\ud800")).isEqualTo("a\\ud800");
        assertThat(Reasons.safe("a\ud800b")).isEqualTo("a\\ud800b");
        assertThat(Reasons.safe("a\ude00")).isEqualTo("a\\ude00");
    }

    @Test
    void anEscapeThatCrossesTheLimitIsCut() {
        String reason = "r".repeat(Reasons.MAX_CHARS - 2) + "\u0000";
        assertThat(Reasons.safe(reason))
                .hasSize(Reasons.MAX_CHARS)
                .isEqualTo("r".repeat(Reasons.MAX_CHARS - 3) + "...");
    }

    @Test
    void theCutNeverLeavesHalfAPair() {
        String reason = "r".repeat(Reasons.MAX_CHARS - 4) + "\ud83d\ude00" + "tail";
        assertThat(Reasons.safe(reason))
                .isEqualTo("r".repeat(Reasons.MAX_CHARS - 4) + "...")
                .hasSize(Reasons.MAX_CHARS - 1);
    }

    @Test
    void aCodecNamesItsTypeAndRejectsJsonNull() {
        assertThat(OrdersCapability.ORDERS.codec().type()).isEqualTo(OrderEvent.class);
        assertThatThrownBy(
                        () ->
                                OrdersCapability.ORDERS
                                        .codec()
                                        .decode("null".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BadRecordException.class)
                .hasMessage("JSON null instead of a OrderEvent");
        // The constructor's own message is the reason, not Jackson's wrapping of it.
        assertThatThrownBy(
                        () ->
                                decode(
                                        "{\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":0,"
                                                + "\"type\":\"OrderPlaced\",\"occurredAt\":"
                                                + "\"2026-11-27T10:00:00Z\"}"))
                .isInstanceOf(BadRecordException.class)
                .hasMessageStartingWith("invalid OrderEvent: seq must be");
    }

    @Test
    void timeTextMayBeSixtyFourCharactersButNotMore() {
        String json =
                "{\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":1,\"type\":\"OrderPlaced\","
                        + "\"occurredAt\":\"%s\"}";
        String at64 = "2026-11-27T10:00:00." + "0".repeat(64 - 21) + "Z";
        assertThat(at64).hasSize(StrictTime.MAX_TEXT);
        assertThatThrownBy(() -> decode(String.format(json, at64)))
                .isInstanceOf(BadRecordException.class)
                .hasMessageNotContaining("longer than");
        assertThatThrownBy(() -> decode(String.format(json, at64 + "0")))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining("longer than 64 characters");
    }

    private static OrderEvent decode(String json) throws BadRecordException {
        return OrdersCapability.ORDERS.codec().decode(json.getBytes(StandardCharsets.UTF_8));
    }
}

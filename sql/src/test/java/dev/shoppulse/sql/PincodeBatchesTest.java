package dev.shoppulse.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.sql.PincodeBatches.Method;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch-building logic: one winner per email, sorted, independent of arrival order. */
class PincodeBatchesTest {

    static PincodeUpdate u(String email, String pin, long second) {
        return new PincodeUpdate(email, pin, Instant.ofEpochSecond(second));
    }

    @Test
    void latestOccurredAtWinsAndEmailsAreCaseInsensitive() {
        List<PincodeUpdate> batch =
                List.of(
                        u("B@x.in", "110001", 5),
                        u("b@x.in", "400001", 9),
                        u("a@x.in", "560001", 1),
                        u("b@X.IN", "600001", 7));
        List<PincodeUpdate> winners = PincodeBatches.lastWriterWins(batch);
        assertThat(winners).extracting(PincodeUpdate::email).containsExactly("a@x.in", "b@x.in");
        assertThat(winners.get(1).pincode()).isEqualTo("400001");
    }

    @Test
    void tiesAreBrokenByPincodeSoEveryWriterAgrees() {
        PincodeUpdate low = u("a@x.in", "110001", 5);
        PincodeUpdate high = u("a@x.in", "900001", 5);
        assertThat(PincodeBatches.lastWriterWins(List.of(low, high))).containsExactly(high);
        assertThat(PincodeBatches.lastWriterWins(List.of(high, low))).containsExactly(high);
        assertThat(high.winsOver(low)).isTrue();
        assertThat(low.winsOver(high)).isFalse();
        assertThat(high.winsOver(high)).isFalse();
    }

    @Test
    void arraysAreParallelAndInIsoFormat() {
        String[][] a =
                PincodeBatches.arrays(
                        PincodeBatches.lastWriterWins(List.of(u("a@x.in", "110001", 0))));
        assertThat(a[0]).containsExactly("a@x.in");
        assertThat(a[1]).containsExactly("110001");
        assertThat(a[2]).containsExactly("1970-01-01T00:00:00Z");
    }

    @Test
    void invalidInputIsRejectedByTheEvent() {
        assertThatThrownBy(() -> u("a@x.in", "012345", 0)).hasMessageContaining("pincode");
        assertThatThrownBy(() -> u("a@x.in", "12345", 0)).hasMessageContaining("pincode");
        assertThatThrownBy(() -> u("not-an-email", "110001", 0)).hasMessageContaining("email");
        assertThatThrownBy(() -> u(" ", "110001", 0)).hasMessageContaining("email");
    }

    @Test
    void theSqlTakesLocksInOneOrderAndGuardsEveryWrite() {
        assertThat(PincodeSql.UPDATE_BATCH)
                .contains("unnest(?::text[], ?::text[], ?::text[]::timestamptz[])")
                .contains("ORDER BY u.user_id FOR UPDATE OF u")
                .contains(PincodeSql.NEWER);
        assertThat(PincodeSql.UPDATE_STAGED).contains(PincodeSql.NEWER);
    }

    @Test
    void theChooserCopiesFromTheThresholdOn() {
        assertThat(PincodeBatches.choose(9_999, 10_000)).isEqualTo(Method.UNNEST);
        assertThat(PincodeBatches.choose(10_000, 10_000)).isEqualTo(Method.COPY);
        assertThat(PincodeBatches.choose(1, 0)).isEqualTo(Method.COPY);
        assertThat(PincodeBatches.choose(1_000_000, Integer.MAX_VALUE)).isEqualTo(Method.UNNEST);
        assertThatThrownBy(() -> PincodeBatches.choose(1, -1))
                .hasMessageContaining("pincodes.copy-threshold");
    }

    @Test
    void theSettingsDefaultIsTheMeasuredThreshold() {
        assertThat(PincodesCapability.PINCODES_COPY_THRESHOLD.defaultValue())
                .isEqualTo(String.valueOf(PincodeBatches.DEFAULT_COPY_THRESHOLD));
        assertThat(ShopPulseConfig.defaults().getInt(PincodesCapability.PINCODES_COPY_THRESHOLD))
                .isEqualTo(PincodeBatches.DEFAULT_COPY_THRESHOLD);
    }

    @Test
    void stagedRowsAreQuotedCsv() {
        assertThat(
                        PincodeBatches.csv(
                                List.of(
                                        u("o\"brien,x@x.in", "110001", 0),
                                        u("b@x.in", "560001", 1))))
                .isEqualTo(
                        "\"o\"\"brien,x@x.in\",110001,1970-01-01T00:00:00Z\n"
                                + "\"b@x.in\",560001,1970-01-01T00:00:01Z\n");
    }

    @Test
    void bothWaysShareTheGuardAndTheLockOrder() {
        String lock = "ORDER BY u.user_id FOR UPDATE OF u";
        assertThat(PincodeSql.UPDATE_STAGED)
                .contains(lock)
                .contains(PincodeSql.UPDATE_LOCKED)
                .contains("FROM pincode_stage i JOIN users u ON lower(u.email) = i.email");
        assertThat(PincodeSql.UPDATE_BATCH).contains(lock).contains(PincodeSql.UPDATE_LOCKED);
        assertThat(PincodeSql.COPY_STAGE).endsWith("ON COMMIT DROP");
    }
}

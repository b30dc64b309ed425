package dev.shoppulse.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.events.PincodeUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
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
        assertThat(PincodeSql.UPDATE_FROM_STAGE).contains(PincodeSql.NEWER);
    }

    @Property(tries = 200)
    void winnersDoNotDependOnArrivalOrder(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 7) Integer> emails,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 3) Integer> seconds,
            @ForAll long seed) {
        List<PincodeUpdate> batch = new ArrayList<>();
        for (int k = 0; k < Math.min(emails.size(), seconds.size()); k++) {
            batch.add(u("u" + emails.get(k) + "@x.in", String.valueOf(100000 + k), seconds.get(k)));
        }
        List<PincodeUpdate> shuffled = new ArrayList<>(batch);
        Collections.shuffle(shuffled, new java.util.Random(seed));
        List<PincodeUpdate> a = PincodeBatches.lastWriterWins(batch);
        assertThat(PincodeBatches.lastWriterWins(shuffled)).isEqualTo(a);
        assertThat(a).extracting(PincodeUpdate::email).isSorted().doesNotHaveDuplicates();
        for (PincodeUpdate w : a) {
            for (PincodeUpdate x : batch) {
                if (x.email().equals(w.email())) {
                    assertThat(x.winsOver(w)).isFalse();
                }
            }
        }
    }
}

package dev.shoppulse.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.sql.PincodeBatches.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Batch building for any input: the chooser depends on size only, winners not on arrival order. */
class PincodeBatchesProperties {

    @Property(tries = 200)
    void theChooserDependsOnlyOnSize(
            @ForAll @IntRange(min = 0, max = 200_000) int rows,
            @ForAll @IntRange(min = 0, max = 200_000) int threshold) {
        Method m = PincodeBatches.choose(rows, threshold);
        assertThat(m).isEqualTo(rows >= threshold ? Method.COPY : Method.UNNEST);
        if (m == Method.COPY) {
            assertThat(PincodeBatches.choose(rows + 1, threshold)).isEqualTo(Method.COPY);
        }
    }

    @Property(tries = 200)
    void winnersDoNotDependOnArrivalOrder(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 7) Integer> emails,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 3) Integer> seconds,
            @ForAll long seed) {
        List<PincodeUpdate> batch = new ArrayList<>();
        for (int k = 0; k < Math.min(emails.size(), seconds.size()); k++) {
            batch.add(
                    PincodeBatchesTest.u(
                            "u" + emails.get(k) + "@x.in",
                            String.valueOf(100000 + k),
                            seconds.get(k)));
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

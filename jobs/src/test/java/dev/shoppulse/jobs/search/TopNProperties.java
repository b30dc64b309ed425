package dev.shoppulse.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The exact top N kept from running counts equals a brute-force ranking, for any updates. */
class TopNProperties {

    /**
     * Any interleaving of growing running counts ends with exactly the brute-force top N of the
     * final counts.
     */
    @Property(tries = 300)
    void equalsBruteForceOverMonotoneUpdates(
            @ForAll @Size(min = 0, max = 200) List<@IntRange(min = 0, max = 29) Integer> products,
            @ForAll @IntRange(min = 1, max = 12) int n) {
        TopN top = new TopN(n);
        Map<String, Long> running = new HashMap<>();
        for (int p : products) {
            String id = "p" + p;
            long c = running.merge(id, 1L, Long::sum);
            top.offer(id, c);
        }
        List<Map.Entry<String, Long>> expected = new ArrayList<>(running.entrySet());
        expected.sort(TopN.ORDER);
        expected = expected.subList(0, Math.min(n, expected.size()));
        assertThat(top.ranked()).containsExactlyElementsOf(expected);
    }
}

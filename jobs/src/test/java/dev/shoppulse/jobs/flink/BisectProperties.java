package dev.shoppulse.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Splitting a batch that fails on data, for any batch and bad rows: each row handled once. */
class BisectProperties {

    @Property(tries = 200)
    void writesEveryGoodRowOnceAndRejectsEveryBadRowOnce(
            @ForAll @IntRange(min = 1, max = 600) int n,
            @ForAll @Size(max = 8) Set<@IntRange(min = 0, max = 599) Integer> badCandidates)
            throws Exception {
        Set<Integer> bad = badCandidates.stream().filter(b -> b < n).collect(Collectors.toSet());
        BisectTest.FakeTable table = new BisectTest.FakeTable(bad);
        List<Integer> rejected = new ArrayList<>();
        int statements = Bisect.write(BisectTest.rows(n), table, (r, e) -> rejected.add(r));

        assertThat(rejected).containsExactlyInAnyOrderElementsOf(bad);
        assertThat(table.written)
                .containsExactlyInAnyOrderElementsOf(
                        BisectTest.rows(n).stream().filter(r -> !bad.contains(r)).toList());
        assertThat(statements).isEqualTo(table.statements);
        int k = bad.size();
        int log2 = 32 - Integer.numberOfLeadingZeros(n);
        assertThat(statements).isLessThanOrEqualTo(1 + 2 * k * log2);
    }
}

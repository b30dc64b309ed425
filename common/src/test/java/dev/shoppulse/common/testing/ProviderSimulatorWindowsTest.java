package dev.shoppulse.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/** The simulator's violation count agrees with a brute-force sliding-window count. */
class ProviderSimulatorWindowsTest {

    @Property
    void countsEveryCallWhoseWindowHoldsMoreThanTheLimit(
            @ForAll @Size(max = 60) List<@LongRange(min = 0, max = 500) Long> times,
            @ForAll @IntRange(min = 1, max = 200) int windowMs,
            @ForAll @IntRange(min = 1, max = 8) int limit) {
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        int over = 0;
        for (int i = 0; i < sorted.length; i++) {
            int inWindow = 0;
            for (int j = 0; j <= i; j++) {
                if (sorted[j] > sorted[i] - windowMs) {
                    inWindow++;
                }
            }
            if (inWindow > limit) {
                over++;
            }
        }
        // The most calls any window (t - windowMs, t] that ends on a call holds, ties included.
        int maxByTime = 0;
        for (long t : sorted) {
            maxByTime =
                    Math.max(
                            maxByTime,
                            (int)
                                    Arrays.stream(sorted)
                                            .filter(u -> u > t - windowMs && u <= t)
                                            .count());
        }
        int actualOver = ProviderSimulator.windowsOverLimit(sorted, windowMs, limit);
        int actualMax = ProviderSimulator.maxInWindow(sorted, windowMs);
        assertThat(actualOver).as("calls over the limit in their window").isEqualTo(over);
        assertThat(actualMax).as("most calls in any window").isEqualTo(maxByTime);
        // A window holding m calls makes its last m - limit arrivals violations.
        assertThat(actualOver).isGreaterThanOrEqualTo(Math.max(0, actualMax - limit));
        // Guard against a generator that never, or always, goes over the limit.
        Statistics.label("over the limit").collect(over > 0);
        Statistics.label("over the limit")
                .coverage(
                        c -> {
                            c.check(true).percentage(p -> p >= 5);
                            c.check(false).percentage(p -> p >= 5);
                        });
    }
}

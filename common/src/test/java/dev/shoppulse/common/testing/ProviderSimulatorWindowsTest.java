package dev.shoppulse.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The simulator's violation count agrees with a brute-force sliding-window count. */
class ProviderSimulatorWindowsTest {

    @Property
    void countsEveryCallWhoseWindowHoldsMoreThanTheLimit(
            @ForAll @Size(max = 60) List<@LongRange(min = 0, max = 500) Long> times,
            @ForAll @IntRange(min = 1, max = 200) int windowMs,
            @ForAll @IntRange(min = 1, max = 8) int limit) {
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        int over = 0;
        int max = 0;
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
            max = Math.max(max, inWindow);
        }
        assertThat(ProviderSimulator.windowsOverLimit(sorted, windowMs, limit)).isEqualTo(over);
        assertThat(ProviderSimulator.maxInWindow(sorted, windowMs)).isEqualTo(max);
        assertThat(Arrays.stream(sorted).count()).isEqualTo(times.size());
    }
}

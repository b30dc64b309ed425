package dev.shoppulse.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** An hour's ranking compares, hashes and prints by its content, arrays included. */
class HourRankingTest {

    private static HourRanking ranking(
            long start, boolean provisional, String[] ids, long[] counts) {
        return new HourRanking(start, start + 3_600_000, provisional, ids, counts);
    }

    private static HourRanking ab() {
        return ranking(0, false, new String[] {"a", "b"}, new long[] {5, 3});
    }

    @Test
    void equalContentInOtherArraysIsEqualWithTheSameHash() {
        HourRanking other = ranking(0, false, new String[] {"a", "b"}, new long[] {5, 3});
        assertThat(other).isEqualTo(ab()).hasSameHashCodeAs(ab());
        assertThat(ab().size()).isEqualTo(2);
    }

    @Test
    void everyFieldTakesPartInEquality() {
        assertThat(ab())
                .isNotEqualTo(ranking(1, false, new String[] {"a", "b"}, new long[] {5, 3}))
                .isNotEqualTo(
                        new HourRanking(
                                0, 7_200_000, false, new String[] {"a", "b"}, new long[] {5, 3}))
                .isNotEqualTo(ranking(0, true, new String[] {"a", "b"}, new long[] {5, 3}))
                .isNotEqualTo(ranking(0, false, new String[] {"b", "a"}, new long[] {5, 3}))
                .isNotEqualTo(ranking(0, false, new String[] {"a", "b"}, new long[] {5, 4}))
                .isNotEqualTo("HourRanking[0 final a=5 b=3]")
                .isNotEqualTo(null);
    }

    @Test
    void theHashFollowsTheContent() {
        int h = ab().hashCode();
        assertThat(h).isNotZero();
        assertThat(ranking(0, false, new String[] {"b", "a"}, new long[] {5, 3}).hashCode())
                .isNotEqualTo(h);
        assertThat(ranking(0, false, new String[] {"a", "b"}, new long[] {3, 5}).hashCode())
                .isNotEqualTo(h);
        assertThat(ranking(0, true, new String[] {"a", "b"}, new long[] {5, 3}).hashCode())
                .isNotEqualTo(h);
        // The exact combination: field hash + 31 x ids' hash + 17 x counts' hash.
        int expected =
                Objects.hash(0L, 3_600_000L, false)
                        + 31 * Arrays.hashCode(new String[] {"a", "b"})
                        + 17 * Arrays.hashCode(new long[] {5, 3});
        assertThat(h).isEqualTo(expected);
    }

    @Test
    void toStringListsTheProductsInRankOrder() {
        assertThat(ab()).hasToString("HourRanking[0 final a=5 b=3]");
        assertThat(ranking(7, true, new String[] {"x"}, new long[] {1}))
                .hasToString("HourRanking[7 provisional x=1]");
        assertThat(ranking(7, true, new String[0], new long[0]))
                .hasToString("HourRanking[7 provisional]");
        assertThat(ranking(7, true, new String[0], new long[0]).size()).isZero();
    }

    @Test
    void idsAndCountsMustPair() {
        assertThatThrownBy(() -> ranking(0, false, new String[] {"a"}, new long[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ranking(0, false, null, new long[0]))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ranking(0, false, new String[0], null))
                .isInstanceOf(NullPointerException.class);
    }
}

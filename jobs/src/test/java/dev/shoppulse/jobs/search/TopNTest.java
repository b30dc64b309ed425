package dev.shoppulse.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The exact top N kept from running counts, against a brute-force ranking. */
class TopNTest {

    @Test
    void tiesAreBrokenByProductIdAscending() {
        TopN top = new TopN(2);
        top.offer("c", 5);
        top.offer("b", 5);
        top.offer("a", 5);
        assertThat(top.toRanking(0, 1, false).productIds()).containsExactly("a", "b");
    }

    @Test
    void fewerProductsThanNRankAll() {
        TopN top = new TopN(10);
        top.offer("x", 1);
        top.offer("y", 3);
        HourRanking r = top.toRanking(0, 1, false);
        assertThat(r.productIds()).containsExactly("y", "x");
        assertThat(r.counts()).containsExactly(3, 1);
    }

    @Test
    void aLowerCountForAKnownProductChangesNothing() {
        TopN top = new TopN(2);
        assertThat(top.offer("a", 4)).isTrue();
        assertThat(top.offer("a", 3)).isFalse();
        assertThat(top.countOf("a")).isEqualTo(4);
    }

    @Test
    void aProductPushedOutComesBackWithAHigherCount() {
        TopN top = new TopN(2);
        top.offer("a", 1);
        top.offer("b", 2);
        top.offer("c", 3);
        assertThat(top.toRanking(0, 1, false).productIds()).containsExactly("c", "b");
        top.offer("a", 9);
        assertThat(top.toRanking(0, 1, false).productIds()).containsExactly("a", "c");
    }
}

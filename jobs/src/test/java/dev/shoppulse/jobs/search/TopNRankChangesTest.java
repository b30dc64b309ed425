package dev.shoppulse.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The last place of a full top N moves when it rises, and ties are broken by product id. */
class TopNRankChangesTest {

    private static Map.Entry<String, Long> e(String id, long n) {
        return Map.entry(id, n);
    }

    @Test
    void aTopOfOneIsAllowedAndZeroIsNot() {
        TopN top = new TopN(1);
        assertThat(top.offer("a", 1)).isTrue();
        assertThat(top.size()).isEqualTo(1);
        assertThatThrownBy(() -> new TopN(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whenTheLastPlaceRisesTheNextLastPlaceIsTheOneDisplaced() {
        TopN top = new TopN(2);
        top.offer("a", 5);
        top.offer("b", 3); // last place
        assertThat(top.offer("b", 10)).isTrue(); // now a is last
        assertThat(top.offer("c", 7)).isTrue();
        assertThat(top.ranked()).containsExactly(e("b", 10), e("c", 7));
        assertThat(top.size()).isEqualTo(2);
    }

    @Test
    void anEqualCountWithASmallerIdDisplacesTheLastPlace() {
        TopN top = new TopN(1);
        top.offer("b", 5);
        assertThat(top.offer("c", 5)).isFalse();
        assertThat(top.offer("a", 5)).isTrue();
        assertThat(top.ranked()).containsExactly(e("a", 5));
    }

    @Test
    void amongTiedCountsTheLargestIdIsLastWhateverTheHashOrder() {
        // "c" is iterated before "ba" by the hash map; "c" is still the last place.
        TopN top = new TopN(2);
        top.offer("c", 5);
        top.offer("ba", 5);
        assertThat(top.offer("d", 6)).isTrue();
        assertThat(top.ranked()).containsExactly(e("d", 6), e("ba", 5));
        TopN reversed = new TopN(2);
        reversed.offer("ba", 5);
        reversed.offer("c", 5);
        assertThat(reversed.offer("d", 6)).isTrue();
        assertThat(reversed.ranked()).containsExactly(e("d", 6), e("ba", 5));
    }
}

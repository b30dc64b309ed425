package dev.shoppulse.api.comments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.sql.CommentSql;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** Properties of the comment tree's path labels: they sort like the ids they encode. */
class CommentTreeProperties {

    @Property(tries = 300)
    void labelsSortLikeTheIds(
            @ForAll @LongRange(min = 0, max = 999_999_999_999L) long a,
            @ForAll @LongRange(min = 0, max = 999_999_999_999L) long b) {
        List<String> labels = new ArrayList<>(List.of(CommentSql.label(a), CommentSql.label(b)));
        assertThat(Integer.signum(labels.get(0).compareTo(labels.get(1))))
                .isEqualTo(Long.signum(a - b));
    }
}

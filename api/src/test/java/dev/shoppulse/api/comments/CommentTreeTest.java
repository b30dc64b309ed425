package dev.shoppulse.api.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.sql.CommentSql;
import dev.shoppulse.sql.CommentStore.Row;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tree building with depth and fan-out caps, cursors and path labels; nothing started. */
class CommentTreeTest {
    private static final Instant T = Instant.parse("2026-11-27T10:00:00Z");

    static Row row(long id, Long parent, long root, int depth, int replies) {
        return new Row(id, parent, root, depth, "a" + id, "body " + id, replies, T, null);
    }

    static Row deleted(long id, Long parent, long root, int depth, int replies) {
        return new Row(id, parent, root, depth, "a" + id, null, replies, T, T);
    }

    @Test
    void nestsRowsInPageOrderAndCountsWhatIsHidden() {
        // Thread 10: 10 → 11 → 12 → 13 (depth 3), 10 → 14, 10 → 15; thread 5 alone.
        List<Row> rows =
                List.of(
                        row(10, null, 10, 0, 3),
                        row(11, 10L, 10, 1, 1),
                        row(12, 11L, 10, 2, 1),
                        row(13, 12L, 10, 3, 0),
                        row(14, 10L, 10, 1, 0),
                        row(15, 10L, 10, 1, 0),
                        row(5, null, 5, 0, 0));
        List<CommentNode> tree = CommentTree.build(rows, 2, 2);
        assertThat(tree).extracting(CommentNode::id).containsExactly(10L, 5L);
        CommentNode root = tree.get(0);
        assertThat(root.replies()).extracting(CommentNode::id).containsExactly(11L, 14L);
        assertThat(root.moreReplies()).isEqualTo(1); // 15 beyond the fan-out cap
        CommentNode twelve = root.replies().get(0).replies().get(0);
        assertThat(twelve.id()).isEqualTo(12L);
        assertThat(twelve.replies()).isEmpty();
        assertThat(twelve.moreReplies()).isEqualTo(1); // 13 beyond the depth cap
        assertThat(tree.get(1).moreReplies()).isNull();
    }

    @Test
    void repliesOfHiddenCommentsAreNotShownAndReplyCountsBeyondTheRowCapBecomeStubs() {
        List<Row> rows =
                List.of(
                        row(1, null, 1, 0, 3),
                        row(2, 1L, 1, 1, 1),
                        row(3, 2L, 1, 2, 0),
                        row(4, 1L, 1, 1, 1),
                        row(6, 4L, 1, 2, 0));
        List<CommentNode> tree = CommentTree.build(rows, 5, 1);
        CommentNode root = tree.get(0);
        assertThat(root.replies()).extracting(CommentNode::id).containsExactly(2L);
        assertThat(root.moreReplies()).isEqualTo(2); // 4 hidden by fan-out, 1 reply never read
        assertThat(root.replies().get(0).replies()).extracting(CommentNode::id).containsExactly(3L);
    }

    @Test
    void deletedCommentsKeepTheirPlaceAndRepliesButNotTheirContent() {
        List<CommentNode> tree =
                CommentTree.build(List.of(deleted(1, null, 1, 0, 1), row(2, 1L, 1, 1, 0)), 3, 5);
        CommentNode root = tree.get(0);
        assertThat(root.deleted()).isTrue();
        assertThat(root.body()).isNull();
        assertThat(root.author()).isNull();
        assertThat(root.replies()).extracting(CommentNode::body).containsExactly("body 2");
    }

    @Test
    void cursorsRoundTripAndRejectGarbage() {
        assertThat(CommentCursor.decode(CommentCursor.encode(42))).isEqualTo(42);
        assertThat(CommentCursor.decode(null)).isEqualTo(Long.MAX_VALUE);
        for (String bad : new String[] {"xyz", "!!", CommentCursor.encode(0), "YzE6YWJj"}) {
            assertThatThrownBy(() -> CommentCursor.decode(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void pathsNestUnderTheirParent() {
        assertThat(CommentSql.childPath(null, 7)).isEqualTo("000000000007");
        assertThat(CommentSql.childPath("000000000007", 12)).isEqualTo("000000000007.000000000012");
    }
}

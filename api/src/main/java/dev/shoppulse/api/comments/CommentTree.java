package dev.shoppulse.api.comments;

import dev.shoppulse.sql.CommentStore.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a thread page's rows (page order: threads, each depth-first) into nested nodes, showing at
 * most {@code fanout} replies per comment and nothing deeper than {@code depth}; every comment
 * whose direct replies are not all shown gets a {@code moreReplies} count.
 */
public final class CommentTree {
    private CommentTree() {}

    public static List<CommentNode> build(List<Row> rows, int depth, int fanout) {
        List<CommentNode> roots = new ArrayList<>();
        Map<Long, CommentNode> shown = new HashMap<>();
        for (Row r : rows) {
            if (r.depth() > depth) {
                continue;
            }
            CommentNode node = CommentNode.of(r);
            if (r.parentId() == null) {
                roots.add(node);
            } else {
                CommentNode parent = shown.get(r.parentId());
                // Parent hidden by a cap, or its replies are full: this reply is counted by the
                // parent's stub instead (descendants are then skipped the same way).
                if (parent == null || parent.replies().size() >= fanout) {
                    continue;
                }
                parent.replies().add(node);
            }
            shown.put(r.id(), node);
        }
        return withStubs(roots);
    }

    private static List<CommentNode> withStubs(List<CommentNode> nodes) {
        List<CommentNode> out = new ArrayList<>(nodes.size());
        for (CommentNode n : nodes) {
            List<CommentNode> children = withStubs(n.replies());
            n.replies().clear();
            n.replies().addAll(children);
            out.add(n.withMore(n.replyCount() - children.size()));
        }
        return out;
    }
}

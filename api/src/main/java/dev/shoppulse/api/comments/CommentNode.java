package dev.shoppulse.api.comments;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One comment in a thread page's JSON tree. A deleted comment keeps its place (and its replies)
 * with {@code deleted: true} and no author or body. {@code moreReplies} counts direct replies not
 * shown (beyond the depth or fan-out cap); fetch them with a deeper or narrower request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommentNode(
        long id,
        Long parentId,
        int depth,
        String author,
        String body,
        boolean deleted,
        Instant createdAt,
        int replyCount,
        List<CommentNode> replies,
        Integer moreReplies) {

    static CommentNode of(dev.shoppulse.sql.CommentStore.Row r) {
        boolean deleted = r.deletedAt() != null;
        return new CommentNode(
                r.id(),
                r.parentId(),
                r.depth(),
                deleted ? null : r.author(),
                deleted ? null : r.body(),
                deleted,
                r.createdAt(),
                r.replyCount(),
                new ArrayList<>(),
                null);
    }

    CommentNode withMore(int more) {
        return new CommentNode(
                id,
                parentId,
                depth,
                author,
                body,
                deleted,
                createdAt,
                replyCount,
                replies,
                more > 0 ? more : null);
    }
}

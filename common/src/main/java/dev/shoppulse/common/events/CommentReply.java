package dev.shoppulse.common.events;

import dev.shoppulse.common.validation.Check;
import java.time.Instant;

/**
 * Someone replied to a comment: published to Kafka {@code comment-replies} so the parent's author
 * can be notified.
 *
 * @param commentId the new reply
 * @param postId the post both belong to
 * @param parentId the comment replied to
 * @param parentAuthor who wrote the parent (the one to notify), also the Kafka key
 * @param author who wrote the reply
 * @param excerpt the reply's first characters
 * @param createdAt when the reply was stored
 */
public record CommentReply(
        long commentId,
        String postId,
        long parentId,
        String parentAuthor,
        String author,
        String excerpt,
        Instant createdAt) {
    /** Longest excerpt; the API cuts replies to far fewer characters. */
    public static final int MAX_EXCERPT = 1024;

    public CommentReply {
        Check.range(commentId, "commentId", 1, Long.MAX_VALUE);
        Check.id(postId, "postId");
        Check.range(parentId, "parentId", 1, Long.MAX_VALUE);
        Check.id(parentAuthor, "parentAuthor");
        Check.id(author, "author");
        Check.multiline(excerpt, "excerpt", MAX_EXCERPT);
        Check.instant(createdAt, "createdAt");
    }
}

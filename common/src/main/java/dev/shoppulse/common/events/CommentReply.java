package dev.shoppulse.common.events;

import java.time.Instant;
import java.util.Objects;

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
    public CommentReply {
        Objects.requireNonNull(postId, "postId");
        Objects.requireNonNull(parentAuthor, "parentAuthor");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(excerpt, "excerpt");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}

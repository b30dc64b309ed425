package dev.shoppulse.common.comments;

import static dev.shoppulse.common.config.Setting.Type.INT;

import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.events.CommentReply;
import dev.shoppulse.common.topics.Topic;

/**
 * Nested comments: ltree paths, keyset thread pages, reply events.
 *
 * <p>Everything ShopPulse knows about this capability outside its code: its settings and topics
 * (declared below), its job, its API routes and its local traffic. {@link
 * dev.shoppulse.common.capability.Capabilities} lists it once; the configuration, the topic list,
 * the cluster catalogue, the local run and the API's route check read it from there.
 */
public final class CommentsCapability {
    private CommentsCapability() {}

    // --- settings ---------------------------------------------------------------------------
    public static final Setting COMMENTS_MAX_BODY =
            Setting.of("comments.max-body", INT, "4000", "Longest comment body in characters.");
    public static final Setting COMMENTS_MAX_DEPTH =
            Setting.of(
                    "comments.max-depth",
                    INT,
                    "32",
                    "Deepest reply level a comment may have (top level = 0).");
    public static final Setting COMMENTS_PAGE_DEPTH =
            Setting.of(
                    "comments.page-depth",
                    INT,
                    "3",
                    "Default and largest reply depth a thread page shows; deeper replies become"
                            + " a stub with a count.");
    public static final Setting COMMENTS_FANOUT =
            Setting.of(
                    "comments.fanout",
                    INT,
                    "5",
                    "Replies shown per comment on a thread page; the rest become a stub with a"
                            + " count.");
    public static final Setting COMMENTS_PAGE_ROWS =
            Setting.of(
                    "comments.page-rows",
                    INT,
                    "2000",
                    "Most rows one thread page reads; beyond it replies become stubs.");
    public static final Setting LOCAL_COMMENTS_PER_S =
            Setting.of(
                    "local.comments-per-s",
                    INT,
                    "20",
                    "Comments the local traffic generator posts per second through the API.");

    // --- topics -----------------------------------------------------------------------------
    public static final Topic<CommentReply> COMMENT_REPLIES =
            Topic.json(
                    "comment-replies",
                    CommentReply.class,
                    "A reply to a comment, for notifying the parent's author, key = parent author.");

    public static final CapabilityDefinition DEFINITION =
            CapabilityDefinition.named("comments", CommentsCapability.class)
                    .summary("Nested comments: ltree paths, keyset thread pages, reply events.")
                    .routes(
                            "POST /v1/posts/{postId}/comments",
                            "GET /v1/posts/{postId}/comments",
                            "DELETE /v1/posts/{postId}/comments/{commentId}")
                    .localTraffic("dev.shoppulse.launcher.sql.CommentsLocal");
}

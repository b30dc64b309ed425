package dev.shoppulse.api.comments;

import dev.shoppulse.common.comments.CommentsCapability;
import dev.shoppulse.common.events.CommentReply;
import dev.shoppulse.sql.Outbox;

/**
 * Turns a stored reply into its {@code comment-replies} outbox record, written in the reply's own
 * transaction; the outbox relay publishes it after the commit. A reply and its notification thus
 * commit together: at least once on Kafka (consumers de-duplicate by {@code commentId}), never lost
 * to a crash between commit and publish, and the HTTP answer never waits for Kafka.
 */
public final class ReplyPublisher {
    private final String topic;
    private final Runnable wakeRelay;

    /**
     * @param topic the deployed name of {@code comment-replies}
     * @param wakeRelay tells the outbox relay a record is waiting (it polls anyway)
     */
    public ReplyPublisher(String topic, Runnable wakeRelay) {
        this.topic = topic;
        this.wakeRelay = wakeRelay;
    }

    /** The outbox record of a reply, keyed by the parent's author (the one to notify). */
    public Outbox.Message message(CommentReply reply) {
        return new Outbox.Message(
                topic,
                reply.parentAuthor(),
                CommentsCapability.COMMENT_REPLIES.codec().encode(reply));
    }

    /** Called after a reply's transaction committed. */
    public void committed() {
        wakeRelay.run();
    }
}

package dev.shoppulse.common.serde;

/**
 * A record cannot be decoded or is invalid; the message is the reason a dead letter carries,
 * bounded and escaped by {@link Reasons#safe} so it can always be stored and sent.
 */
public final class BadRecordException extends Exception {
    public BadRecordException(String reason, Throwable cause) {
        super(Reasons.safe(reason), cause);
    }

    public BadRecordException(String reason) {
        super(Reasons.safe(reason));
    }
}

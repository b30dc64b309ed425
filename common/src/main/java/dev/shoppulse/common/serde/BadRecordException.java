package dev.shoppulse.common.serde;

/** A record cannot be decoded or is invalid; the message is the reason a dead letter carries. */
public final class BadRecordException extends Exception {
    public BadRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public BadRecordException(String reason) {
        super(reason);
    }
}

package dev.shoppulse.common.redis;

/**
 * A Redis command that failed (refused connection, timeout, an error reply such as WRONGTYPE),
 * raised by {@link Redis} with the client's exception as its cause.
 */
public final class RedisFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RedisFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.shoppulse.common.redis;

/**
 * Told of every failed Redis command and every script reload, so each surfaces as a metric (a Flink
 * counter in operators, a counter of the API's metrics elsewhere).
 */
@FunctionalInterface
public interface RedisFailureListener {
    /** Does nothing: for tools and tests that only need the exception. */
    RedisFailureListener NONE = (operation, cause) -> {};

    /** One command failed; called once per failed command, before the exception is thrown. */
    void failed(String operation, RuntimeException cause);

    /** The server had forgotten a script (restart, SCRIPT FLUSH) and it was loaded again. */
    default void scriptReloaded(String script) {}
}

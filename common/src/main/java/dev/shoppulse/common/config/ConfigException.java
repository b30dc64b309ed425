package dev.shoppulse.common.config;

/** A configuration value is missing, unknown or malformed; the message says how to fix it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}

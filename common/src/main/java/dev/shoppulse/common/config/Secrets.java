package dev.shoppulse.common.config;

import java.util.Map;

/**
 * Reads a secret where it is needed: from the environment of the process that connects (a
 * TaskManager, for an operator), under the same name {@link ShopPulseConfig} reads it from ({@link
 * Setting#envName()}), so secrets never travel inside a submitted job.
 */
public final class Secrets {
    private Secrets() {}

    /** The secret from this process's environment, or null when unset or empty. */
    public static String fromEnvironment(Setting setting) {
        return fromEnvironment(setting, System.getenv());
    }

    /** The secret from {@code env}, or null when unset or empty. */
    public static String fromEnvironment(Setting setting, Map<String, String> env) {
        if (!setting.secret()) {
            throw new IllegalArgumentException(
                    setting.key() + " is not a secret: read it from the configuration");
        }
        String v = env.get(setting.envName());
        return v == null || v.isBlank() ? null : v.trim();
    }
}

package dev.shoppulse.common.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One configuration key: its name, its type, its safe local default and what it is for.
 *
 * <p>A setting is read, lowest precedence first, from its default, a properties file, the
 * environment ({@link #envName()}) and command-line flags. Secrets have no default and are read
 * only from the environment, so they never appear in flags, files or logs.
 */
public record Setting(
        String key,
        Type type,
        String defaultValue,
        String description,
        boolean secret,
        List<String> choices) {

    /** The value types a setting can have; values are checked when the configuration loads. */
    public enum Type {
        STRING,
        INT,
        LONG,
        DOUBLE,
        BOOLEAN,
        DURATION,
        ENUM
    }

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        choices = List.copyOf(choices);
        if (type == Type.ENUM && !choices.contains(defaultValue)) {
            throw new IllegalArgumentException("default of " + key + " is not one of " + choices);
        }
        if (secret && defaultValue != null) {
            throw new IllegalArgumentException(
                    "secret setting " + key + " must not have a default");
        }
    }

    public static Setting of(String key, Type type, String defaultValue, String description) {
        if (type == Type.ENUM) {
            throw new IllegalArgumentException("use Setting.choice for enum setting " + key);
        }
        return new Setting(key, type, defaultValue, description, false, List.of());
    }

    /** A setting whose value is one of {@code choices} (case-insensitive). */
    public static Setting choice(
            String key, String defaultValue, String description, String... choices) {
        return new Setting(key, Type.ENUM, defaultValue, description, false, List.of(choices));
    }

    public static Setting secret(String key, String description) {
        return new Setting(key, Type.STRING, null, description, true, List.of());
    }

    /** The environment variable that sets this key, e.g. {@code SHOPPULSE_KAFKA_BOOTSTRAP}. */
    public String envName() {
        return "SHOPPULSE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}

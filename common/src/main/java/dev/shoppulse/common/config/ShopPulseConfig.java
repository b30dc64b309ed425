package dev.shoppulse.common.config;

import dev.shoppulse.common.topics.Topic;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The one typed configuration of ShopPulse.
 *
 * <p>Values resolve from, lowest precedence first: each {@link Setting}'s default, a properties
 * file given by {@code --config FILE} (or {@code SHOPPULSE_CONFIG}), the environment ({@code
 * SHOPPULSE_KAFKA_BOOTSTRAP} for {@code kafka.bootstrap}) and flags ({@code --kafka.bootstrap
 * host:9092} or {@code --kafka.bootstrap=host:9092}). Every value is checked against its type on
 * load, so a typo fails at start with a message that says how to fix it. Immutable. It holds the
 * secrets of the process that loaded it, so jobs never ship it to their functions: an operator gets
 * a small settings record and reads secrets with {@link Secrets} on the TaskManager.
 */
public final class ShopPulseConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> values;

    private ShopPulseConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Defaults only: what a laptop needs. */
    public static ShopPulseConfig defaults() {
        return load(new String[0], Map.of());
    }

    public static ShopPulseConfig load(String[] args) {
        return load(args, System.getenv());
    }

    public static ShopPulseConfig load(String[] args, Map<String, String> env) {
        Map<String, String> flags = parseFlags(args);
        String file = flags.remove("config");
        if (file == null) {
            file = env.get("SHOPPULSE_CONFIG");
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Setting s : Settings.all()) {
            if (s.defaultValue() != null) {
                resolved.put(s.key(), s.defaultValue());
            }
        }
        if (file != null) {
            Properties props = readProperties(Path.of(file));
            for (String key : props.stringPropertyNames()) {
                Setting s = require(key, "in " + file);
                if (s.secret()) {
                    throw new ConfigException(
                            s.key()
                                    + " is a secret: set it in the environment as "
                                    + s.envName()
                                    + ", not in "
                                    + file);
                }
                resolved.put(key, props.getProperty(key).trim());
            }
        }
        for (Setting s : Settings.all()) {
            String v = env.get(s.envName());
            if (v != null) {
                resolved.put(s.key(), v.trim());
            }
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            Setting s = require(e.getKey(), "as a flag");
            if (s.secret()) {
                throw new ConfigException(
                        s.key()
                                + " is a secret: set it in the environment as "
                                + s.envName()
                                + ", never as a flag");
            }
            resolved.put(s.key(), e.getValue());
        }
        ShopPulseConfig config = new ShopPulseConfig(resolved);
        config.validate();
        return config;
    }

    /**
     * A copy with one value replaced; tests and the local runner use it to point at their services.
     */
    public ShopPulseConfig with(Setting setting, Object value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(setting.key(), String.valueOf(value));
        ShopPulseConfig config = new ShopPulseConfig(copy);
        config.validate();
        return config;
    }

    public String get(Setting s) {
        String v = values.get(s.key());
        if (v == null) {
            throw new ConfigException(
                    s.key() + " is required: set --" + s.key() + " or " + s.envName());
        }
        return v;
    }

    /** The value, or null where a setting (such as a secret) has none. */
    public String getOrNull(Setting s) {
        return values.get(s.key());
    }

    public int getInt(Setting s) {
        return Integer.parseInt(get(s));
    }

    public long getLong(Setting s) {
        return Long.parseLong(get(s));
    }

    public double getDouble(Setting s) {
        return Double.parseDouble(get(s));
    }

    public boolean getBoolean(Setting s) {
        return Boolean.parseBoolean(get(s));
    }

    public Duration getDuration(Setting s) {
        return Durations.parse(get(s));
    }

    public <E extends Enum<E>> E getEnum(Setting s, Class<E> type) {
        return Enum.valueOf(type, get(s).toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The configured name of a registry topic. */
    public String topic(Topic<?> topic) {
        return get(Settings.topicSetting(topic.name()));
    }

    /** Every non-secret value, for a start-up log line. */
    public String describe() {
        return values.entrySet().stream()
                .filter(e -> !Settings.byKey(e.getKey()).secret())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            Setting s = Settings.byKey(e.getKey());
            String v = e.getValue();
            try {
                switch (s.type()) {
                    case INT -> Integer.parseInt(v);
                    case LONG -> Long.parseLong(v);
                    case DOUBLE -> Double.parseDouble(v);
                    case DURATION -> Durations.parse(v);
                    case BOOLEAN -> {
                        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                            throw new IllegalArgumentException("not true or false");
                        }
                    }
                    case ENUM -> {
                        if (!s.choices().contains(v.toLowerCase(Locale.ROOT))) {
                            throw new IllegalArgumentException("not one of " + s.choices());
                        }
                    }
                    case STRING -> {}
                }
            } catch (RuntimeException ex) {
                problems.add(
                        s.key()
                                + "='"
                                + v
                                + "' is not a valid "
                                + s.type().name().toLowerCase(Locale.ROOT)
                                + " ("
                                + ex.getMessage()
                                + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
    }

    private static Setting require(String key, String where) {
        Setting s = Settings.byKey(key);
        if (s == null) {
            String near =
                    Settings.all().stream()
                            .map(Setting::key)
                            .filter(k -> k.startsWith(key.split("[.-]")[0]))
                            .collect(Collectors.joining(", "));
            throw new ConfigException(
                    "unknown setting '"
                            + key
                            + "' "
                            + where
                            + (near.isEmpty() ? "" : "; did you mean one of: " + near));
        }
        return s;
    }

    private static Map<String, String> parseFlags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new ConfigException("expected --key value or --key=value, got '" + a + "'");
            }
            String body = a.substring(2);
            int eq = body.indexOf('=');
            if (eq >= 0) {
                flags.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                flags.put(body, args[++i]);
            } else {
                throw new ConfigException("flag --" + body + " needs a value");
            }
        }
        return flags;
    }

    private static Properties readProperties(Path path) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(path)) {
            props.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + path + ": " + e);
        }
        return props;
    }

    @Override
    public String toString() {
        return "ShopPulseConfig[" + describe() + "]";
    }
}

package dev.shoppulse.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** A benchmark's own flags, given after {@code --} as {@code key=value}. */
public final class Flags {
    private Flags() {}

    public static Map<String, String> parse(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "benchmark flags are key=value, got '" + a + "'");
            }
            flags.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return flags;
    }
}

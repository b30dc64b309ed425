package dev.shoppulse.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of one benchmark run, printed as {@code RESULT NAME key=value ...}. */
public final class Result {
    private final Map<String, String> figures = new LinkedHashMap<>();

    public Result put(String key, long value) {
        figures.put(key, Long.toString(value));
        return this;
    }

    public Result put(String key, double value) {
        figures.put(key, String.format(Locale.ROOT, "%.3f", value));
        return this;
    }

    public Result put(String key, String value) {
        figures.put(key, value);
        return this;
    }

    public Map<String, String> figures() {
        return Map.copyOf(figures);
    }

    /** The RESULT line of the benchmark called {@code name}. */
    public String line(String name) {
        return "RESULT "
                + name
                + " "
                + figures.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" "));
    }
}

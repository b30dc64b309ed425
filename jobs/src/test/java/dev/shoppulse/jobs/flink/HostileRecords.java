package dev.shoppulse.jobs.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Hostile Kafka records made from one good record of a job: each is the good JSON with one field
 * replaced by a hostile value (overflowing and boundary timestamps, huge/negative/non-integer
 * numbers, NUL and control characters, unpaired surrogates, huge strings, wrong types, deep
 * nesting) or a structurally broken variant (missing, extra and duplicated fields, not JSON, empty,
 * null, huge keys). Seeded, so a failure replays. Knows nothing of any one job.
 */
public final class HostileRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One hostile record: key and value bytes, and what was done, for a failure message. */
    public record Hostile(byte[] key, byte[] value, String what) {}

    /** Values that break timestamps, numbers and strings in the ways seen in real runs. */
    static final List<String> HOSTILE_SCALARS =
            List.of(
                    "\"+300000000-01-01T00:00:00Z\"",
                    "\"+300000-01-01T00:00:00Z\"",
                    "\"-100000-01-01T00:00:00Z\"",
                    "\"-4713-11-24T00:00:00Z\"",
                    "\"+10000-01-01T00:00:00Z\"",
                    "\"9999-12-31T23:59:59.999999999Z\"",
                    "\"0000-01-01T00:00:00Z\"",
                    "\"1970-01-01T00:00:00Z\"",
                    "\"2999-01-01T00:00:00Z\"",
                    "\"-292275055-05-16T16:47:04.192Z\"",
                    "\"+292278994-08-17T07:12:55.807Z\"",
                    "\"2026-13-45T99:99:99Z\"",
                    "\"+9999999-01-01\"",
                    "\"-9999999-01-01\"",
                    "\"0001-01-01\"",
                    "\"2026-02-30\"",
                    "1e308",
                    "-1e308",
                    "9223372036854775807",
                    "-9223372036854775808",
                    "99999999999999999999999999",
                    "4611686018427387904",
                    "1099511627776",
                    "0",
                    "-1",
                    "1.5",
                    "\"NaN\"",
                    "\"\\u0000\"",
                    "\"a\\u0000b\"",
                    "\"\\u0001\\u0002\\u001f\\u007f\"",
                    "\"\\ud800\"",
                    "\"\\udfff x\"",
                    "\"\"",
                    "\" \"",
                    "null",
                    "true",
                    "[]",
                    "{}",
                    "[1,2,3]",
                    "{\"nested\":{\"deeper\":[1,{\"x\":null}]}}");

    private final Random random;
    private final ObjectNode template;
    private final List<String> fields = new ArrayList<>();

    public HostileRecords(long seed, byte[] goodJson) {
        this.random = new Random(seed);
        try {
            this.template = (ObjectNode) JSON.readTree(goodJson);
        } catch (Exception e) {
            throw new IllegalArgumentException("the template must be a JSON object", e);
        }
        for (Iterator<String> it = template.fieldNames(); it.hasNext(); ) {
            fields.add(it.next());
        }
    }

    /** The {@code i}-th hostile record (deterministic for a seed and call order). */
    public Hostile next(int i) {
        byte[] key = ("hostile-" + i).getBytes(StandardCharsets.UTF_8);
        int kind = random.nextInt(100);
        String field = fields.get(random.nextInt(fields.size()));
        if (kind < 60) {
            String v = HOSTILE_SCALARS.get(random.nextInt(HOSTILE_SCALARS.size()));
            return new Hostile(key, withRaw(field, v), field + "=" + v);
        }
        if (kind < 68) {
            String huge = "\"" + "x".repeat(1 + random.nextInt(200_000)) + "\"";
            return new Hostile(key, withRaw(field, huge), field + "=huge string");
        }
        if (kind < 73) {
            StringBuilder deep = new StringBuilder();
            int depth = 100 + random.nextInt(3000);
            deep.append("[".repeat(depth)).append("1").append("]".repeat(depth));
            return new Hostile(key, withRaw(field, deep.toString()), field + "=deep nesting");
        }
        if (kind < 80) {
            ObjectNode o = template.deepCopy();
            o.remove(field);
            return new Hostile(key, bytes(o.toString()), "missing " + field);
        }
        if (kind < 84) {
            ObjectNode o = template.deepCopy();
            o.put("unexpected" + random.nextInt(10), "extra");
            return new Hostile(key, bytes(o.toString()), "extra field");
        }
        if (kind < 88) {
            String text = template.toString();
            String dup =
                    text.substring(0, text.length() - 1)
                            + ",\""
                            + field
                            + "\":"
                            + HOSTILE_SCALARS.get(random.nextInt(HOSTILE_SCALARS.size()))
                            + "}";
            return new Hostile(key, bytes(dup), "duplicated " + field);
        }
        if (kind < 92) {
            String[] broken = {"", "{", "not json", "[]", "null", "\"s\"", "{\"a\":", "\u0000"};
            String b = broken[random.nextInt(broken.length)];
            return new Hostile(key, bytes(b), "broken json '" + b + "'");
        }
        if (kind < 94) {
            return new Hostile(key, null, "null value");
        }
        if (kind < 97) {
            byte[] hugeKey = new byte[1 + random.nextInt(100_000)];
            random.nextBytes(hugeKey);
            return new Hostile(hugeKey, bytes(template.toString()), "huge random key");
        }
        byte[] garbage = new byte[1 + random.nextInt(2000)];
        random.nextBytes(garbage);
        return new Hostile(key, garbage, "random bytes");
    }

    private byte[] withRaw(String field, String rawJsonValue) {
        ObjectNode o = template.deepCopy();
        String marker = "\"@@HOSTILE@@\"";
        o.put(field, "@@HOSTILE@@");
        return bytes(o.toString().replace(marker, rawJsonValue));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode parse(byte[] json) throws Exception {
        return JSON.readTree(json);
    }
}

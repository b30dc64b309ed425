package dev.shoppulse.common.hostile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Turns valid records into hostile ones (a field replaced by a hostile value, dropped, duplicated,
 * added, nested deeply; the whole value wrapped, truncated or replaced by raw bytes) and makes
 * hostile Kafka keys, within {@link HostileLimits}. It knows nothing of any one event type: it
 * mutates whatever JSON object it is given.
 */
public final class HostileRecords {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    /** One generated record: what was done to it, its key and its value (either may be null). */
    public record HostileRecord(String kind, byte[] key, byte[] value) {
        @Override
        public String toString() {
            return "HostileRecord["
                    + kind
                    + ", key="
                    + preview(key)
                    + ", value="
                    + preview(value)
                    + "]";
        }

        private static String preview(byte[] b) {
            if (b == null) {
                return "null";
            }
            String s = new String(b, 0, Math.min(b.length, 160), StandardCharsets.UTF_8);
            return b.length + "B " + s + (b.length > 160 ? "..." : "");
        }
    }

    private final HostileLimits limits;

    public HostileRecords(HostileLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public HostileLimits limits() {
        return limits;
    }

    /** A hostile key and value derived from a valid pair: most often the value is mutated. */
    public HostileRecord record(Random r, byte[] validKey, byte[] validValue) {
        int k = r.nextInt(10);
        if (k < 7) {
            Mutated m = mutate(r, validValue);
            return new HostileRecord(
                    m.kind(), r.nextInt(4) == 0 ? key(r, validKey) : validKey, m.value());
        }
        if (k < 9) {
            return new HostileRecord("raw", validKey, raw(r));
        }
        return new HostileRecord("key", key(r, validKey), validValue);
    }

    /** A mutated JSON value and a label of what was done, for failure messages. */
    public record Mutated(String kind, byte[] value) {}

    /**
     * Mutates a valid JSON object: one or more fields replaced (by a value of the same shape, e.g.
     * a hostile timestamp for a timestamp, or by anything), dropped, duplicated, nested deeply;
     * fields added; sometimes the whole record wrapped or truncated. Never longer than {@link
     * HostileLimits#maxRecordBytes()}.
     */
    public Mutated mutate(Random r, byte[] validJson) {
        JsonNode tree;
        try {
            tree = PLAIN.readTree(validJson);
        } catch (java.io.IOException e) {
            return new Mutated("raw", raw(r));
        }
        if (!(tree instanceof ObjectNode obj)) {
            return new Mutated("raw", raw(r));
        }
        List<String> kinds = new ArrayList<>();
        int budget = Math.max(16, limits.maxRecordBytes() - validJson.length - 64);
        String text = renderObject(r, obj, kinds, budget, 0);
        int whole = r.nextInt(20);
        if (whole == 0) {
            kinds.add("wrap");
            text = r.nextBoolean() ? "[" + text + "]" : "{\"event\":" + text + "}";
        } else if (whole == 1 && text.length() > 1) {
            kinds.add("truncate");
            text = text.substring(0, r.nextInt(text.length()));
        } else if (whole == 2) {
            kinds.add("trailing");
            text = text + (r.nextBoolean() ? text : " x");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > limits.maxRecordBytes()) {
            kinds.add("cut-to-limit");
            bytes = Arrays.copyOf(bytes, limits.maxRecordBytes());
        }
        return new Mutated(String.join("+", kinds), bytes);
    }

    private String renderObject(
            Random r, ObjectNode obj, List<String> kinds, int budget, int level) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        obj.fields().forEachRemaining(fields::add);
        int n = fields.size();
        // Usually one field, sometimes several at once (their checks must not mask each other).
        boolean[] target = new boolean[n];
        if (n > 0) {
            target[r.nextInt(n)] = true;
            if (r.nextInt(4) == 0) {
                for (int i = 0; i < n; i++) {
                    target[i] |= r.nextInt(3) == 0;
                }
            }
        }
        int targets = 0;
        for (boolean t : target) {
            targets += t ? 1 : 0;
        }
        int each = Math.max(16, budget / Math.max(1, targets + 1));
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            String name = fields.get(i).getKey();
            JsonNode value = fields.get(i).getValue();
            if (!target[i]) {
                field(b, name, value.toString());
                continue;
            }
            int op = r.nextInt(12);
            switch (op) {
                case 0, 1, 2 -> {
                    kinds.add("shaped:" + name);
                    field(b, name, shaped(r, value, each));
                }
                case 3, 4 -> {
                    kinds.add("any:" + name);
                    field(b, name, HostileValues.any(r, limits(each)));
                }
                case 5 -> kinds.add("drop:" + name);
                case 6 -> {
                    kinds.add("duplicate:" + name);
                    field(b, name, value.toString());
                    field(b, name, r.nextBoolean() ? value.toString() : shaped(r, value, each));
                }
                case 7 -> {
                    kinds.add("null:" + name);
                    field(b, name, "null");
                }
                case 8 -> {
                    kinds.add("nest:" + name);
                    field(b, name, HostileValues.nested(r, 1 + r.nextInt(depth(each))));
                }
                case 9 -> {
                    kinds.add("case:" + name);
                    field(b, name.toUpperCase(java.util.Locale.ROOT), value.toString());
                }
                default -> {
                    if (value instanceof ObjectNode inner && level < 4) {
                        kinds.add("inner:" + name);
                        field(b, name, renderObject(r, inner, kinds, each, level + 1));
                    } else if (value instanceof ArrayNode array) {
                        kinds.add("elements:" + name);
                        field(b, name, renderArray(r, array, each));
                    } else {
                        kinds.add("shaped:" + name);
                        field(b, name, shaped(r, value, each));
                    }
                }
            }
        }
        int extra = r.nextInt(8);
        if (extra == 0) {
            kinds.add("add");
            field(
                    b,
                    stripQuotes(HostileValues.string(r, Math.min(each, 300))),
                    HostileValues.any(r, limits(each)));
        } else if (extra == 1 && limits.maxExtraFields() > 0) {
            int count = 1 + r.nextInt(limits.maxExtraFields());
            kinds.add("add" + count);
            int per = Math.max(16, each / count);
            for (int i = 0; i < count && b.length() < budget; i++) {
                field(b, "x" + i, HostileValues.any(r, limits(per)));
            }
        }
        if (b.length() > 1 && b.charAt(b.length() - 1) == ',') {
            b.setLength(b.length() - 1);
        }
        return b.append('}').toString();
    }

    private String renderArray(Random r, ArrayNode array, int budget) {
        StringBuilder b = new StringBuilder("[");
        int n = array.size();
        int target = n == 0 ? -1 : r.nextInt(n);
        for (int i = 0; i < n; i++) {
            b.append(i == target ? shaped(r, array.get(i), budget) : array.get(i).toString())
                    .append(',');
        }
        if (n == 0 || r.nextInt(3) == 0) {
            b.append(HostileValues.any(r, limits(budget))).append(',');
        }
        b.setLength(b.length() - 1);
        return b.append(']').toString();
    }

    /**
     * A hostile value shaped like the valid one: more likely to pass the parser and hit a domain.
     */
    private String shaped(Random r, JsonNode value, int budget) {
        if (value.isTextual()) {
            String s = value.asText();
            if (looksLikeTimestamp(s)) {
                return HostileValues.timestamp(r);
            }
            if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
                return HostileValues.pick(r, DATES);
            }
            return r.nextInt(4) == 0
                    ? near(r, s)
                    : HostileValues.string(r, Math.min(budget, limits.maxStringChars()));
        }
        if (value.isNumber()) {
            return HostileValues.number(r, Math.min(budget, limits.maxStringChars()));
        }
        if (value.isArray()) {
            return switch (r.nextInt(4)) {
                case 0 -> "[]";
                case 1 -> "[null]";
                case 2 -> manyElements(r, value, budget);
                default ->
                        "["
                                + HostileValues.string(r, Math.min(budget, limits.maxStringChars()))
                                + "]";
            };
        }
        return HostileValues.any(r, limits(budget));
    }

    private static final List<String> DATES =
            List.of(
                    "\"+9999999-01-01\"",
                    "\"-9999999-01-01\"",
                    "\"+300000-01-01\"",
                    "\"-4714-11-23\"",
                    "\"0000-01-01\"",
                    "\"1999-12-31\"",
                    "\"2000-01-01\"",
                    "\"2999-12-31\"",
                    "\"9999-12-31\"",
                    "\"2024-02-30\"",
                    "\"2024-13-01\"",
                    "\"2024-1-1\"",
                    "\"2024-01-01T00:00:00Z\"",
                    "\"\"",
                    "20240101",
                    "[2024,1,1]",
                    "null");

    /** The valid text with one character changed or appended: a near miss of every pattern. */
    private static String near(Random r, String s) {
        String[] bad = {"\\u0000", "\\u001f", "\\ud800", " ", "\\n", "@", "\\u00e9"};
        StringBuilder b = new StringBuilder("\"");
        String escaped = TextNode.valueOf(s).toString();
        escaped = escaped.substring(1, escaped.length() - 1);
        int at = escaped.isEmpty() ? 0 : r.nextInt(escaped.length() + 1);
        // Never split an escape sequence: insert only before a plain character.
        while (at > 0 && at < escaped.length() && escaped.charAt(at - 1) == '\\') {
            at--;
        }
        b.append(escaped, 0, at).append(bad[r.nextInt(bad.length)]).append(escaped.substring(at));
        return b.append('"').toString();
    }

    private String manyElements(Random r, JsonNode array, int budget) {
        String element = array.size() > 0 ? array.get(0).toString() : "\"x\"";
        int count = Math.max(1, Math.min(10_000, budget / (element.length() + 1)));
        count = 1 + r.nextInt(count);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            b.append(r.nextInt(8) == 0 ? HostileValues.pick(r, HostileValues.STRINGS) : element)
                    .append(',');
        }
        b.setLength(b.length() - 1);
        return b.append(']').toString();
    }

    /** Raw hostile bytes: not JSON, not UTF-8, the wrong JSON type, or too deep. */
    public byte[] raw(Random r) {
        int max = limits.maxRecordBytes();
        return switch (r.nextInt(18)) {
            case 0 -> new byte[0];
            case 1 -> null;
            case 2 ->
                    ascii(
                            HostileValues.pick(
                                    r,
                                    List.of(
                                            "null", "true", "1", "\"s\"", "[]", "[{}]", "{}",
                                            " ")));
            case 3 -> new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE};
            case 4 -> ascii("{\"a\":\"\u00ed\u00a0\u0080\"}", StandardCharsets.ISO_8859_1);
            case 5 -> ascii("{\"a\":\"\u00c0\u00af\"}", StandardCharsets.ISO_8859_1);
            case 6 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, ascii("{}"));
            case 7 ->
                    ascii(
                            HostileValues.pick(
                                    r, List.of("{", "{\"a\":", "{\"a\"", "[", "\"", "{\"a\":1,}")));
            case 8 -> ascii("{}{}");
            case 9 -> "{\"a\":1}".getBytes(StandardCharsets.UTF_16);
            case 10 -> {
                byte[] b = new byte[r.nextInt(Math.min(max, 4096)) + 1];
                r.nextBytes(b);
                yield b;
            }
            case 11 -> new byte[Math.min(max, 1 + r.nextInt(1024))];
            case 12 -> ascii(HostileValues.nested(r, Math.min(limits.maxDepth(), max / 8)));
            case 13 -> ascii("[".repeat(Math.min(max, 1 + r.nextInt(Math.max(1, max)))));
            case 14 -> ascii(" ".repeat(Math.min(max - 2, 1 + r.nextInt(max - 2))) + "{}");
            case 15 -> ascii("/* comment */{\"a\":1}");
            case 16 -> ascii("{'a':1}");
            default -> ascii(HostileValues.any(r, limits));
        };
    }

    /**
     * A hostile Kafka key: null, empty, huge, with NUL or invalid UTF-8, or another valid-looking
     * one.
     */
    public byte[] key(Random r, byte[] validKey) {
        return switch (r.nextInt(7)) {
            case 0 -> null;
            case 1 -> new byte[0];
            case 2 -> {
                byte[] b = new byte[1 + r.nextInt(limits.maxKeyBytes())];
                Arrays.fill(b, (byte) 'k');
                yield b;
            }
            case 3 -> concat(validKey == null ? new byte[0] : validKey, new byte[] {0});
            case 4 -> new byte[] {(byte) 0xC3, 0x28, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
            case 5 -> ascii("other-key");
            default -> {
                byte[] b = new byte[1 + r.nextInt(Math.min(64, limits.maxKeyBytes()))];
                r.nextBytes(b);
                yield b;
            }
        };
    }

    private HostileLimits limits(int budget) {
        int chars = Math.max(16, Math.min(limits.maxStringChars(), budget));
        return new HostileLimits(
                limits.maxRecordBytes(),
                limits.maxKeyBytes(),
                chars,
                Math.max(1, Math.min(limits.maxDepth(), chars / 8)),
                limits.maxExtraFields());
    }

    private int depth(int budget) {
        return Math.max(1, Math.min(limits.maxDepth(), budget / 8));
    }

    private static boolean looksLikeTimestamp(String s) {
        return s.length() >= 19 && s.charAt(4) == '-' && s.charAt(10) == 'T';
    }

    private static void field(StringBuilder b, String name, String valueText) {
        b.append(TextNode.valueOf(name).toString()).append(':').append(valueText).append(',');
    }

    private static String stripQuotes(String jsonString) {
        if (jsonString.length() >= 2 && jsonString.startsWith("\"") && jsonString.endsWith("\"")) {
            try {
                return PLAIN.readValue(jsonString, String.class);
            } catch (JsonProcessingException e) {
                return "x";
            }
        }
        return jsonString;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s, java.nio.charset.Charset cs) {
        return s.getBytes(cs);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

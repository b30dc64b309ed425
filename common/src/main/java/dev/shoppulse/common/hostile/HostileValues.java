package dev.shoppulse.common.hostile;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Catalogues of hostile JSON value texts (timestamps, numbers, strings, wrong types, deep nesting)
 * that know nothing of any one event type; {@link HostileRecords} places them into records.
 *
 * <p>Every value is JSON <em>text</em>, not a Java object, so that values a Java object cannot
 * express on the wire (a lone surrogate escape, {@code 1e400}, a number with 1 200 digits) can be
 * sent exactly as a hostile producer would send them.
 */
public final class HostileValues {

    /** Timestamp texts that are valid ISO-8601 or nearly so, but outside any sane domain. */
    public static final List<String> TIMESTAMPS =
            List.of(
                    q("+300000000-01-01T00:00:00Z"),
                    q("+300000-01-01T00:00:00Z"),
                    q("-100000-01-01T00:00:00Z"),
                    q("+1000000000-12-31T23:59:59.999999999Z"),
                    q("-1000000000-01-01T00:00:00Z"),
                    q("+292278994-08-17T07:12:55.807Z"),
                    q("-292275055-05-16T16:47:04.192Z"),
                    q("+294277-01-01T00:00:00Z"),
                    q("+294276-12-31T23:59:59.999999Z"),
                    q("-4713-11-24T00:00:00Z"),
                    q("-4714-11-23T23:59:59Z"),
                    q("0000-01-01T00:00:00Z"),
                    q("-0001-12-31T23:59:59Z"),
                    q("1969-12-31T23:59:59.999Z"),
                    q("1970-01-01T00:00:00Z"),
                    q("1999-12-31T23:59:59.999999999Z"),
                    q("2000-01-01T00:00:00Z"),
                    q("2999-01-01T00:00:00Z"),
                    q("9999-12-31T23:59:59.999999999Z"),
                    q("+10000-01-01T00:00:00Z"),
                    q("+9999999-01-01T00:00:00Z"),
                    q("2024-02-30T00:00:00Z"),
                    q("2024-01-01T24:00:00Z"),
                    q("2024-01-01T00:00:60Z"),
                    q("2024-01-01T00:00:00+14:00"),
                    q("2024-01-01T00:00:00-18:00"),
                    q("2024-01-01T00:00:00+18:00"),
                    q("2024-01-01T00:00:00+19:00"),
                    q("2024-01-01T00:00:00.1234567891Z"),
                    q("2024-01-01T00:00:00.000000001Z"),
                    q("2024-01-01T00:00:00"),
                    q("2024-01-01"),
                    q("2024-01-01T00:00:00,5Z"),
                    q("2024-W01-1T00:00:00Z"),
                    q("2024-001T00:00:00Z"),
                    q("20240101T000000Z"),
                    q("Mon, 01 Jan 2024 00:00:00 GMT"),
                    q(""),
                    q(" "),
                    q("now"),
                    q("1700000000000"),
                    q("2024-01-01T00:00:00Z\\u0000"),
                    "0",
                    "-1",
                    "1700000000",
                    "1700000000000",
                    "1.5",
                    "-0.0",
                    "1e20",
                    "1e400",
                    "-1e400",
                    "9223372036854775807",
                    "-9223372036854775808",
                    "9223372036854775808",
                    "31556889864403199",
                    "31556889864403200",
                    "253402300800",
                    "[2024,1,1,0,0]",
                    "[]",
                    "{}",
                    "null",
                    "true");

    /** Number texts at and past every integer and floating-point boundary. */
    public static final List<String> NUMBERS =
            List.of(
                    "0",
                    "-0",
                    "-0.0",
                    "1",
                    "-1",
                    "2",
                    "1.5",
                    "0.1",
                    "1e3",
                    "1E+2",
                    "1e-7",
                    "2147483647",
                    "2147483648",
                    "-2147483648",
                    "-2147483649",
                    "4294967296",
                    "1099511627776",
                    "4611686018427387904",
                    "9223372036854775807",
                    "9223372036854775808",
                    "-9223372036854775808",
                    "-9223372036854775809",
                    "18446744073709551616",
                    "1e19",
                    "1e308",
                    "1.7976931348623157e308",
                    "1e400",
                    "-1e400",
                    "4.9e-324",
                    "1e-400",
                    "9007199254740993",
                    "9223372036854775807.0",
                    q("NaN"),
                    q("Infinity"),
                    q("-Infinity"),
                    q("1"),
                    q("1e400"),
                    q("9223372036854775808"),
                    "null",
                    "true",
                    "[]",
                    "{}");

    /** Number texts that are not JSON at all; a strict parser rejects the whole record. */
    public static final List<String> INVALID_NUMBERS =
            List.of(
                    "NaN",
                    "Infinity",
                    "-Infinity",
                    "00",
                    "01",
                    "+1",
                    "1.",
                    ".5",
                    "0x10",
                    "1e",
                    "--1");

    /** Short string texts with characters no stored text or key should hold. */
    public static final List<String> STRINGS =
            List.of(
                    q(""),
                    q(" "),
                    q("\\t"),
                    q("\\u0000"),
                    q("a\\u0000b"),
                    q("\\u0001\\u0002\\u001f"),
                    q("\\u007f"),
                    q("\\u0085"),
                    q("\\u2028\\u2029"),
                    q("\\ud800"),
                    q("a\\udc00b"),
                    q("\\udfff\\ud800"),
                    q("\\ufffe\\uffff"),
                    q("\\ufeffBOM"),
                    q("\\u202eRTL"),
                    q("\\ud83d\\ude00"),
                    q("line\\nbreak"),
                    q("\\r\\n"),
                    q("'; DROP TABLE users; --"),
                    q("\\\"quoted\\\""),
                    q("back\\\\slash"),
                    q("a:b:c*?[]{}"),
                    q("%s%n%x"),
                    q("null"),
                    q("${jndi:ldap://x}"),
                    q("\u00e9\u4e2d\u0928"),
                    "null",
                    "true",
                    "false",
                    "0",
                    "-1",
                    "1e400",
                    "[]",
                    "[\"a\",\"b\"]",
                    "{}",
                    "{\"a\":1}");

    /** Characters a generated string is built from, weighted towards trouble. */
    private static final String[] CHAR_ESCAPES = {
        "a",
        "Z",
        "0",
        "-",
        "_",
        ".",
        "@",
        ":",
        " ",
        "\\u0000",
        "\\u0001",
        "\\u001f",
        "\\u007f",
        "\\u0085",
        "\\ud800",
        "\\udc00",
        "\\ud83d\\ude00",
        "\\u00e9",
        "\\u4e2d",
        "\\ufffe",
        "\\n",
        "\\\"",
        "\\\\",
        "/",
        "%",
        "'"
    };

    /** Lengths around the usual bounds (128 ids, 254 emails, 1024 queries, 8192 messages). */
    private static final int[] LENGTHS = {
        0, 1, 2, 63, 64, 65, 127, 128, 129, 253, 254, 255, 256, 1023, 1024, 1025, 4096, 8191, 8192,
        8193, 16384, 65536
    };

    private HostileValues() {}

    /** A hostile timestamp: a catalogued one, or one near "now" far in the future or past. */
    public static String timestamp(Random r) {
        if (r.nextInt(4) > 0) {
            return pick(r, TIMESTAMPS);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long[] offsetsSeconds = {
            -1, 1, 3_600, 3_601, 86_400, 31_536_000L * 10, 31_536_000L * 1_000, -31_536_000L * 100
        };
        long offset = offsetsSeconds[r.nextInt(offsetsSeconds.length)];
        return switch (r.nextInt(3)) {
            case 0 -> q(now.plusSeconds(offset).toString());
            case 1 -> Long.toString(now.plusSeconds(offset).toEpochMilli());
            default -> Long.toString(now.plusSeconds(offset).getEpochSecond());
        };
    }

    /** A hostile number text: catalogued, or a long run of digits. */
    public static String number(Random r, int maxChars) {
        int k = r.nextInt(10);
        if (k < 8) {
            return pick(r, NUMBERS);
        }
        if (k == 8) {
            return pick(r, INVALID_NUMBERS);
        }
        // Longer than Jackson's default number-length limit (1000) when there is room.
        int digits = Math.max(1, Math.min(maxChars, 1 + r.nextInt(1_200)));
        StringBuilder b = new StringBuilder(digits + 1);
        if (r.nextBoolean()) {
            b.append('-');
        }
        b.append('9');
        for (int i = 1; i < digits; i++) {
            b.append((char) ('0' + r.nextInt(10)));
        }
        return b.toString();
    }

    /** A hostile string text, at most {@code maxChars} JSON characters long (plus quotes). */
    public static String string(Random r, int maxChars) {
        if (r.nextInt(3) == 0) {
            return pick(r, STRINGS);
        }
        int len = LENGTHS[r.nextInt(LENGTHS.length)];
        boolean plain = r.nextInt(3) == 0;
        StringBuilder b = new StringBuilder(Math.min(len, maxChars) + 2).append('"');
        int written = 0;
        while (written < len) {
            String c = plain ? "x" : CHAR_ESCAPES[r.nextInt(CHAR_ESCAPES.length)];
            if (b.length() + c.length() > maxChars + 1) {
                break;
            }
            b.append(c);
            written++;
        }
        return b.append('"').toString();
    }

    /** A JSON value nested {@code depth} levels deep, in arrays or objects. */
    public static String nested(Random r, int depth) {
        boolean arrays = r.nextBoolean();
        StringBuilder b = new StringBuilder(depth * (arrays ? 2 : 7) + 2);
        for (int i = 0; i < depth; i++) {
            b.append(arrays ? "[" : "{\"a\":");
        }
        b.append('1');
        for (int i = 0; i < depth; i++) {
            b.append(arrays ? ']' : '}');
        }
        return b.toString();
    }

    /** Any hostile value: timestamp, number, string, wrong type or deep nesting. */
    public static String any(Random r, HostileLimits limits) {
        return switch (r.nextInt(9)) {
            case 0, 1 -> timestamp(r);
            case 2, 3 -> number(r, limits.maxStringChars());
            case 4, 5, 6 -> string(r, limits.maxStringChars());
            case 7 -> nested(r, 1 + r.nextInt(limits.maxDepth()));
            default -> pick(r, List.of("null", "true", "false", "[]", "{}", "[null]", "{\"\":0}"));
        };
    }

    /** Every catalogued value, for exhaustive checks. */
    public static List<String> catalogue() {
        List<String> all = new ArrayList<>(TIMESTAMPS);
        all.addAll(NUMBERS);
        all.addAll(STRINGS);
        return List.copyOf(all);
    }

    static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    /** Quotes text that is already JSON-escaped. */
    static String q(String escaped) {
        return "\"" + escaped + "\"";
    }
}

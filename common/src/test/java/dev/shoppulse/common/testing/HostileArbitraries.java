package dev.shoppulse.common.testing;

import dev.shoppulse.common.hostile.HostileLimits;
import dev.shoppulse.common.hostile.HostileRecords;
import dev.shoppulse.common.hostile.HostileRecords.HostileRecord;
import dev.shoppulse.common.hostile.HostileValues;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * jqwik arbitraries of hostile input for any job's tests, knowing nothing of any one job: hostile
 * JSON value texts, mutations of a valid JSON object supplied by the caller, raw hostile bytes and
 * keys, all bounded by {@link HostileLimits} (64 KB per record by default).
 *
 * <p>Typical use in a per-job suite: {@code
 * HostileArbitraries.records(validEvents.map(codec::encode), key, HostileLimits.SMALL)}, then send
 * each record and assert it is processed or dead-lettered. Catalogued values come first as edge
 * cases; generated ones do not shrink (they are built from a seeded {@link java.util.Random}, so a
 * failing seed reproduces).
 */
public final class HostileArbitraries {
    private HostileArbitraries() {}

    /** Hostile timestamp texts: every catalogued ISO form and epoch number, then near-now ones. */
    public static Arbitrary<String> timestamps() {
        return Arbitraries.oneOf(
                Arbitraries.of(HostileValues.TIMESTAMPS),
                Arbitraries.randomValue(HostileValues::timestamp));
    }

    /** Hostile number texts: boundaries of int, long and double, non-integers, long digit runs. */
    public static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.of(HostileValues.NUMBERS),
                Arbitraries.randomValue(r -> HostileValues.number(r, 2_000)));
    }

    /** Hostile JSON string texts (NUL, controls, lone surrogates, bounds) up to the limit. */
    public static Arbitrary<String> strings(HostileLimits limits) {
        return Arbitraries.oneOf(
                Arbitraries.of(HostileValues.STRINGS),
                Arbitraries.randomValue(r -> HostileValues.string(r, limits.maxStringChars())));
    }

    /** Any hostile JSON value text. */
    public static Arbitrary<String> values(HostileLimits limits) {
        return Arbitraries.oneOf(
                Arbitraries.of(HostileValues.catalogue()),
                Arbitraries.randomValue(r -> HostileValues.any(r, limits)));
    }

    /** Mutations of the given valid JSON objects: fields replaced, dropped, duplicated, added. */
    public static Arbitrary<HostileRecords.Mutated> mutationsOf(
            Arbitrary<byte[]> validJson, HostileLimits limits) {
        HostileRecords gen = new HostileRecords(limits);
        return validJson.flatMap(v -> Arbitraries.randomValue(r -> gen.mutate(r, v)));
    }

    /** Raw hostile values: empty, null, not UTF-8, not JSON, the wrong JSON type, too deep. */
    public static Arbitrary<byte[]> rawValues(HostileLimits limits) {
        HostileRecords gen = new HostileRecords(limits);
        return Arbitraries.randomValue(gen::raw);
    }

    /** Hostile Kafka keys: null, empty, huge, NUL, not UTF-8. */
    public static Arbitrary<byte[]> keys(HostileLimits limits) {
        HostileRecords gen = new HostileRecords(limits);
        return Arbitraries.randomValue(r -> gen.key(r, "key".getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Whole hostile records (key and value) derived from valid events: mostly mutated values, some
     * raw values, some hostile keys with the valid value.
     *
     * @param validJson valid encoded events of the job's input type
     * @param keyOf the valid Kafka key of a valid value
     */
    public static Arbitrary<HostileRecord> records(
            Arbitrary<byte[]> validJson, Function<byte[], byte[]> keyOf, HostileLimits limits) {
        HostileRecords gen = new HostileRecords(limits);
        return validJson.flatMap(
                v -> Arbitraries.randomValue(r -> gen.record(r, keyOf.apply(v), v)));
    }

    /** {@link #records} with the default 64 KB limits. */
    public static Arbitrary<HostileRecord> records(
            Arbitrary<byte[]> validJson, Function<byte[], byte[]> keyOf) {
        return records(validJson, keyOf, HostileLimits.DEFAULT);
    }
}

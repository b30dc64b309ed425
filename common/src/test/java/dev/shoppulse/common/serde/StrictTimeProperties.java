package dev.shoppulse.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The fast path of instant parsing agrees with {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}: the
 * same instant for every text it takes, and no answer (so the formatter decides, with its reason)
 * for every text the formatter rejects.
 */
class StrictTimeProperties {
    private static final long MIN = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private static Instant formatter(String s) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(s, Instant::from);
    }

    /** yyyy-MM-ddTHH:mm:ss, a fraction of {@code width} digits (none for 0), Z. */
    private static String text(Instant t, int width) {
        String base =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
                        .withZone(ZoneOffset.UTC)
                        .format(t);
        if (width == 0) {
            return base + "Z";
        }
        String nanos = String.format("%09d", t.getNano());
        return base + "." + nanos.substring(0, width) + "Z";
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Combinators.combine(
                        Arbitraries.longs().between(MIN, MAX),
                        Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }

    @Property(tries = 2000)
    void everyWrittenFormParsesToTheFormattersInstant(
            @ForAll("instants") Instant t, @ForAll @IntRange(min = 0, max = 9) int width) {
        String s = text(t, width);
        assertThat(StrictTime.utcInstant(s)).as(s).isNotNull().isEqualTo(formatter(s));
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> valid =
                Combinators.combine(instants(), Arbitraries.integers().between(0, 9))
                        .as(StrictTimeProperties::text);
        Arbitrary<Character> junk =
                Arbitraries.of(
                        '0', '9', '3', '2', '-', ':', '.', 'T', 't', 'Z', 'z', '+', ' ', '/');
        return Combinators.combine(valid, Arbitraries.integers().between(0, 29), junk)
                .as(
                        (s, at, c) -> {
                            int i = at % s.length();
                            return s.substring(0, i) + c + s.substring(i + 1);
                        });
    }

    @Property(tries = 5000)
    void aTextEitherParsesAsTheFormatterSaysOrIsLeftToIt(@ForAll("mutated") String s) {
        Instant fast = StrictTime.utcInstant(s);
        Instant slow;
        try {
            slow = formatter(s);
        } catch (DateTimeException e) {
            assertThat(fast).as("rejected by the formatter: " + s).isNull();
            return;
        }
        if (fast != null) {
            assertThat(fast).as(s).isEqualTo(slow);
        }
    }

    @Example
    void invalidDatesAndTimesAreLeftToTheFormatter() {
        for (String s :
                new String[] {
                    "2023-02-29T00:00:00Z",
                    "2026-04-31T00:00:00Z",
                    "2026-13-01T00:00:00Z",
                    "2026-00-01T00:00:00Z",
                    "2026-01-00T00:00:00Z",
                    "2026-01-01T24:00:00Z",
                    "2026-01-01T23:60:00Z",
                    "2026-01-01T23:59:60Z",
                    "2026-01-01T00:00:00.1234567890Z",
                    "+2026-01-01T00:00:00Z"
                }) {
            assertThat(StrictTime.utcInstant(s)).as(s).isNull();
            assertThatThrownBy(() -> formatter(s)).as(s).isInstanceOf(DateTimeException.class);
        }
    }

    @Example
    void validFormsOutsideTheFastPathAreStillLeftToTheFormatter() {
        for (String s :
                new String[] {
                    "2024-02-29t00:00:00Z",
                    "2026-01-01T00:00Z",
                    "2026-01-01T02:00:00+02:00",
                    "2026-01-01T00:00:00.Z"
                }) {
            assertThat(StrictTime.utcInstant(s)).as(s).isNull();
            assertThat(formatter(s)).as(s).isNotNull();
        }
        assertThat(StrictTime.utcInstant("2024-02-29T23:59:59.5Z"))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59.500Z"));
    }
}

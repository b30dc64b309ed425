package dev.shoppulse.common.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each field domain at its edges: the last value in, the first value out, and the reason. */
class CheckTest {

    @Test
    void anIdIsReturnedAsGivenUpToItsLength() {
        String longest = "a".repeat(Check.MAX_ID);
        assertThat(Check.id(longest, "id")).isSameAs(longest);
        assertThat(Check.id("abc", "id", 3)).isEqualTo("abc");
        assertThatThrownBy(() -> Check.id("abcd", "id", 3))
                .hasMessage("id must be 1-3 characters, has 4");
        assertThatThrownBy(() -> Check.id(" ", "id")).hasMessage("id is required");
        assertThatThrownBy(() -> Check.id(null, "id")).hasMessage("id is required");
    }

    @Test
    void anIdHoldsPrintableAsciiFromBangToTilde() {
        assertThat(Check.id("!~", "id")).isEqualTo("!~");
        assertThatThrownBy(() -> Check.id("a b", "id"))
                .hasMessage("id must be printable ASCII without spaces; has U+0020 at index 1");
        assertThatThrownBy(() -> Check.id("ab\u007f", "id"))
                .hasMessage("id must be printable ASCII without spaces; has U+007F at index 2");
    }

    @Test
    void anOptionalIdMayBeAbsentButNotBad() {
        assertThat(Check.optionalId(null, "id")).isNull();
        assertThat(Check.optionalId("x1", "id")).isEqualTo("x1");
        assertThatThrownBy(() -> Check.optionalId("x 1", "id")).hasMessageContaining("U+0020");
    }

    @Test
    void textIsReturnedAsGivenUpToItsLength() {
        assertThat(Check.line("abc", "f", 3)).isEqualTo("abc");
        assertThat(Check.line("", "f", 3)).isEmpty();
        assertThat(Check.multiline("a\tb\r\nc", "f", 6)).isEqualTo("a\tb\r\nc");
        assertThatThrownBy(() -> Check.line("abcd", "f", 3))
                .hasMessage("f must be at most 3 characters, has 4");
        assertThatThrownBy(() -> Check.line(null, "f", 3)).hasMessage("f is required");
        assertThatThrownBy(() -> Check.line("a\tb", "f", 3))
                .hasMessage(
                        "f must not contain control characters or unpaired surrogates; has U+0009"
                                + " at index 1");
    }

    @Test
    void theFirstUnsafeCharacterIsFoundAtItsIndex() {
        assertThat(Check.firstUnsafe("ab\ud800", false)).isEqualTo(2);
        assertThat(Check.firstUnsafe("ab\ud800c", false)).isEqualTo(2);
        assertThat(Check.firstUnsafe("ab\udc00", false)).isEqualTo(2);
        assertThat(Check.firstUnsafe("ab\u0001", true)).isEqualTo(2);
        assertThat(Check.firstUnsafe("ab\u2028", false)).isEqualTo(2);
        assertThat(Check.firstUnsafe("ab\u2029", false)).isEqualTo(2);
        assertThat(Check.firstUnsafe("ab\n", false)).isEqualTo(2);
        assertThat(Check.firstUnsafe("ab\n\t\r", true)).isEqualTo(-1);
        // A surrogate pair is one character, wherever it stands.
        assertThat(Check.firstUnsafe("\ud83d\ude00", false)).isEqualTo(-1);
        assertThat(Check.firstUnsafe("ab\ud83d\ude00", false)).isEqualTo(-1);
        assertThat(Check.firstUnsafe("\ud83d\ude00\ud800", false)).isEqualTo(2);
    }

    @Test
    void c1ControlsEndAtNineFAndDelIsOne() {
        assertThat(Check.firstUnsafe("~", false)).isEqualTo(-1);
        assertThat(Check.firstUnsafe("x\u007f", false)).isEqualTo(1);
        assertThat(Check.firstUnsafe("x\u009f", false)).isEqualTo(1);
        assertThat(Check.firstUnsafe("\u00a0", false)).isEqualTo(-1);
        assertThat(Check.firstUnsafe(" ", false)).isEqualTo(-1);
        assertThat(Check.firstUnsafe("x\u001f", false)).isEqualTo(1);
    }

    @Test
    void aStringIsSafeOnlyWithoutAnUnsafeCharacter() {
        assertThat(Check.isSafe("\u0000", false)).isFalse();
        assertThat(Check.isSafe("a\u0000", false)).isFalse();
        assertThat(Check.isSafe("a", false)).isTrue();
        assertThat(Check.isSafe("", false)).isTrue();
    }

    @Test
    void anEmailIsReturnedAsGivenUpTo254Characters() {
        String longest = "a".repeat(Check.MAX_EMAIL - 2) + "@b";
        assertThat(Check.email(longest, "email")).isSameAs(longest);
        assertThatThrownBy(() -> Check.email("a" + longest, "email"))
                .hasMessage("email must be at most 254 characters, has 255");
        assertThatThrownBy(() -> Check.email("a@b@c", "email"))
                .hasMessage("email is not a valid address");
        assertThatThrownBy(() -> Check.email("a@b\u0085", "email"))
                .hasMessage("email is not a valid address");
        assertThatThrownBy(() -> Check.email("", "email")).hasMessage("email is required");
    }

    @Test
    void instantsAndDatesAreReturnedAsGivenWithinTheirYears() {
        assertThat(Check.instant(Check.MIN_INSTANT, "t")).isEqualTo(Check.MIN_INSTANT);
        assertThat(Check.instant(Check.MAX_INSTANT, "t")).isEqualTo(Check.MAX_INSTANT);
        assertThatThrownBy(() -> Check.instant(Check.MAX_INSTANT.plusNanos(1000), "t"))
                .hasMessageStartingWith("t must be between");
        assertThatThrownBy(() -> Check.instant(Check.MIN_INSTANT.minusNanos(1), "t"))
                .hasMessageStartingWith("t must be between");
        assertThatThrownBy(() -> Check.instant(null, "t")).hasMessage("t is required");

        assertThat(Check.date(Check.MIN_DATE, "d")).isEqualTo(Check.MIN_DATE);
        assertThat(Check.date(Check.MAX_DATE, "d")).isEqualTo(Check.MAX_DATE);
        assertThatThrownBy(() -> Check.date(Check.MAX_DATE.plusDays(1), "d"))
                .hasMessage("d must be between 0001-01-01 and 9999-12-31, was +10000-01-01");
        assertThatThrownBy(() -> Check.date(LocalDate.of(0, 12, 31), "d"))
                .hasMessageStartingWith("d must be between");
        assertThatThrownBy(() -> Check.date(null, "d")).hasMessage("d is required");
        assertThat(Instant.parse("2026-01-01T00:00:00Z")).isAfter(Check.MIN_INSTANT);
    }

    @Test
    void rangesIncludeBothEnds() {
        assertThat(Check.range(5L, "n", 5, 9)).isEqualTo(5L);
        assertThat(Check.range(9L, "n", 5, 9)).isEqualTo(9L);
        assertThat(Check.range(7, "n", 5, 9)).isEqualTo(7);
        assertThatThrownBy(() -> Check.range(4L, "n", 5, 9))
                .hasMessage("n must be between 5 and 9, was 4");
        assertThatThrownBy(() -> Check.range(10, "n", 5, 9))
                .hasMessage("n must be between 5 and 9, was 10");
    }

    @Test
    void oneOfReturnsTheAllowedValueAndQuotesAnExcerptOfAnyOther() {
        assertThat(Check.oneOf("b", "k", List.of("a", "b"))).isEqualTo("b");
        assertThatThrownBy(() -> Check.oneOf("c\u0000", "k", List.of("a")))
                .hasMessage("k must be one of [a], was 'c\\u0000'");
        assertThatThrownBy(() -> Check.oneOf(null, "k", List.of("a")))
                .hasMessage("k must be one of [a], was null");
    }

    @Test
    void anExcerptKeepsPrintableAsciiAndThirtyTwoCharacters() {
        assertThat(Check.excerpt(null)).isEqualTo("null");
        assertThat(Check.excerpt(" ~")).isEqualTo("' ~'");
        assertThat(Check.excerpt("\u001f\u007f")).isEqualTo("'\\u001f\\u007f'");
        String exactly = "x".repeat(32);
        assertThat(Check.excerpt(exactly)).isEqualTo("'" + exactly + "'");
        assertThat(Check.excerpt(exactly + "y")).isEqualTo("'" + exactly + "'...");
    }
}

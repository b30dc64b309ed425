package dev.shoppulse.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The shared field domains: text, ranges and the date window. */
class FieldsTest {
    @Test
    void textRefusesNulControlsAndUnpairedSurrogates() {
        assertThat(Fields.text("f", "ok \ud83d\ude00", 1, 10, false)).isEqualTo("ok \ud83d\ude00");
        assertThat(Fields.text("f", "a\nb\tc", 1, 10, true)).isEqualTo("a\nb\tc");
        for (String bad :
                new String[] {"a\u0000", "\ud800", "x\udc00", "\ud800x", "a\u0007", "a\nb"}) {
            assertThatThrownBy(() -> Fields.text("f", bad, 1, 10, false))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("f ");
        }
        assertThatThrownBy(() -> Fields.text("f", "", 1, 10, false)).hasMessageContaining("empty");
        assertThatThrownBy(() -> Fields.text("f", "x".repeat(11), 1, 10, false))
                .hasMessageContaining("longer than 10");
        assertThatThrownBy(() -> Fields.text("f", null, 1, 10, false))
                .hasMessageContaining("required");
    }

    @Test
    void datesAndInstantsStayInsideTheWindow() {
        assertThat(Fields.date("d", LocalDate.of(2000, 1, 1))).isNotNull();
        assertThat(Fields.date("d", LocalDate.of(2100, 12, 31))).isNotNull();
        assertThatThrownBy(() -> Fields.date("d", LocalDate.of(1999, 12, 31)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fields.date("d", LocalDate.of(2101, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fields.instant("i", Instant.MAX))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fields.instant("i", Instant.parse("2101-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Fields.instant("i", Instant.parse("2100-12-31T23:59:59Z"))).isNotNull();
    }
}

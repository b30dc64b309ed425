package dev.shoppulse.sql.reports;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Any CSV cell parses back to the one field it was written from. */
class CsvProperties {

    @Property
    void aCellParsesBackToOneField(@ForAll String value) {
        String cell = Csv.cell(value);
        String parsed = parseOne(cell);
        String expected =
                !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        assertThat(parsed).isEqualTo(expected);
        assertThat(parsed.isEmpty() || "=+-@\t\r".indexOf(parsed.charAt(0)) < 0).isTrue();
    }

    /** A minimal RFC 4180 reader of one field that must span the whole input. */
    private static String parseOne(String s) {
        if (!s.startsWith("\"")) {
            assertThat(s).doesNotContain(",", "\"", "\n", "\r");
            return s;
        }
        StringBuilder b = new StringBuilder();
        int i = 1;
        while (true) {
            char c = s.charAt(i);
            if (c == '"') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    b.append('"');
                    i += 2;
                    continue;
                }
                assertThat(i).isEqualTo(s.length() - 1);
                return b.toString();
            }
            b.append(c);
            i++;
        }
    }
}

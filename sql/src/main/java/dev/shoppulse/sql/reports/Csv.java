package dev.shoppulse.sql.reports;

/**
 * One CSV cell that is safe to open in a spreadsheet: RFC 4180 quoting (a field with a comma,
 * quote, CR or LF is enclosed in quotes, quotes doubled) and formula neutralisation (a text
 * starting with {@code =}, {@code +}, {@code -}, {@code @}, tab or CR gets a leading {@code '},
 * which spreadsheets show as text instead of executing, as OWASP's CSV injection advice describes).
 */
public final class Csv {
    private Csv() {}

    /** The cell for a text value. */
    public static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        boolean quote =
                v.indexOf(',') >= 0
                        || v.indexOf('"') >= 0
                        || v.indexOf('\n') >= 0
                        || v.indexOf('\r') >= 0;
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}

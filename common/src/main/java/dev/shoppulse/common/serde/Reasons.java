package dev.shoppulse.common.serde;

import java.util.Locale;

/**
 * Makes a rejection reason safe to store and send: at most {@link #MAX_CHARS} characters, every
 * control character and unpaired surrogate escaped (a reason often quotes the hostile value that
 * caused it, and UTF-8 encoders fail on a lone surrogate).
 */
public final class Reasons {
    /** Longest reason kept; longer ones end with an ellipsis. */
    public static final int MAX_CHARS = 1024;

    private Reasons() {}

    /** The reason, escaped and bounded; {@code "unknown"} for null or blank. */
    public static String safe(String reason) {
        if (reason == null || reason.isBlank()) {
            return "unknown";
        }
        int n = reason.length();
        StringBuilder b = new StringBuilder(Math.min(n, MAX_CHARS) + 8);
        int i = 0;
        for (; i < n && b.length() < MAX_CHARS; i++) {
            char c = reason.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(reason.charAt(i + 1))) {
                b.append(c).append(reason.charAt(++i));
            } else if (c < 0x20
                    || (c >= 0x7F && c <= 0x9F)
                    || Character.isSurrogate(c)
                    || c == '\u2028'
                    || c == '\u2029') {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (i < n || b.length() > MAX_CHARS) {
            b.setLength(Math.min(b.length(), MAX_CHARS - 3));
            // Never leave half a pair behind the cut.
            if (Character.isHighSurrogate(b.charAt(b.length() - 1))) {
                b.setLength(b.length() - 1);
            }
            b.append("...");
        }
        return b.toString();
    }
}

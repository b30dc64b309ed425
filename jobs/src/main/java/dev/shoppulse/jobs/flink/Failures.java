package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.serde.BadRecordException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.CharacterCodingException;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Decides whether a failure while processing one record is the record's fault (dead-letter it and
 * go on) or the world's (fail over and retry, as Flink does by default). Pure: it reads only the
 * exception chain.
 *
 * <p>A transient cause anywhere in the chain wins over a data cause, because retrying a data error
 * costs a restart while dead-lettering a transient one loses a good record. Anything unknown fails
 * over: a bug or a misconfiguration must stay loud.
 */
public final class Failures {
    private Failures() {}

    /** What to do with a failure. */
    public enum Kind {
        /** Deterministic: the same record fails the same way again, so dead-letter it. */
        DATA,
        /**
         * The surroundings failed (connection, timeout, conflict, shutdown): fail over and retry.
         */
        TRANSIENT
    }

    /** Longest cause chain examined; chains are short, this only bounds a cyclic one. */
    static final int MAX_CHAIN = 32;

    public static Kind classify(Throwable failure) {
        boolean data = false;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable t = failure;
        int steps = 0;
        while (t != null && steps++ < MAX_CHAIN && seen.put(t, Boolean.TRUE) == null) {
            Kind k = own(t);
            if (k == Kind.TRANSIENT) {
                return Kind.TRANSIENT;
            }
            data |= k == Kind.DATA;
            Throwable next = t.getCause();
            if (next == null && t instanceof SQLException s) {
                // A batch reports the failing statement's error as the next exception.
                next = s.getNextException();
            }
            t = next;
        }
        return data ? Kind.DATA : Kind.TRANSIENT;
    }

    public static boolean isData(Throwable failure) {
        return classify(failure) == Kind.DATA;
    }

    /** The verdict of one exception alone, or null when it says nothing by itself. */
    static Kind own(Throwable t) {
        if (t instanceof SQLException s) {
            return sqlState(s.getSQLState());
        }
        if (t instanceof BadRecordException
                || t instanceof ArithmeticException
                || t instanceof DateTimeException
                || t instanceof IllegalArgumentException
                || t instanceof CharacterCodingException
                || isJsonError(t)) {
            return Kind.DATA;
        }
        if (t instanceof TimeoutException
                || t instanceof InterruptedException
                || t instanceof InterruptedIOException
                || t instanceof IOException) {
            return Kind.TRANSIENT;
        }
        return null;
    }

    /**
     * SQLSTATE classes: 22 data exception and 23 integrity constraint violation are the row's
     * fault, as is 54 (a value past a program limit, e.g. an index row too large); 08 connection,
     * 40 transaction rollback (serialization failure, deadlock), 53 insufficient resources, 57
     * operator intervention (admin shutdown, statement timeout) and 58 system errors are transient.
     * Any other class (syntax, missing table, permissions) is a bug or a misconfiguration and fails
     * over too.
     */
    static Kind sqlState(String state) {
        if (state == null || state.length() < 2) {
            return null;
        }
        return switch (state.substring(0, 2)) {
            case "22", "23", "54" -> Kind.DATA;
            case "08", "40", "53", "57", "58" -> Kind.TRANSIENT;
            default -> null;
        };
    }

    /** Jackson's errors are IOExceptions but say the bytes are bad, not the connection. */
    private static boolean isJsonError(Throwable t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("com.fasterxml.jackson.core.JacksonException")) {
                return true;
            }
        }
        return false;
    }

    /** A short, bounded reason for a dead letter: the exception type and its message. */
    public static String reason(Throwable failure, int maxChars) {
        Throwable t = failure;
        // The innermost SQL error names the row's problem; wrappers only repeat it.
        for (int k = 0;
                k < MAX_CHAIN && t instanceof SQLException s && s.getNextException() != null;
                k++) {
            t = s.getNextException();
        }
        return bounded(t.getClass().getSimpleName() + ": " + t.getMessage(), maxChars);
    }

    /** {@code text} cut to at most {@code maxChars} characters, marked with an ellipsis. */
    public static String bounded(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        return text.substring(0, Math.max(0, maxChars - 1)) + "…";
    }
}

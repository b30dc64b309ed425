package dev.shoppulse.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import dev.shoppulse.common.serde.BadRecordException;
import dev.shoppulse.jobs.flink.Failures.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.MalformedInputException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the poison guard dead-letters and what it leaves to fail-over. */
class FailuresTest {

    @ParameterizedTest
    @ValueSource(strings = {"22008", "22021", "22P02", "23505", "23502", "54000"})
    void dataExceptionAndIntegrityStatesAreData(String state) {
        assertThat(Failures.classify(new SQLException("x", state))).isEqualTo(Kind.DATA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"08006", "08001", "40001", "40P01", "57P01", "57014", "53300", "58030"})
    void connectionConflictAndShutdownStatesAreTransient(String state) {
        assertThat(Failures.classify(new SQLException("x", state))).isEqualTo(Kind.TRANSIENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42P01", "42601", "28000", "XX000", "0A000"})
    void bugsAndMisconfigurationsFailOver(String state) {
        assertThat(Failures.classify(new SQLException("x", state))).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void sqlErrorWithoutStateFailsOver() {
        assertThat(Failures.classify(new SQLException("x"))).isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(new SQLException("x", "2"))).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void recordErrorsAreData() {
        assertThat(Failures.classify(new ArithmeticException("long overflow")))
                .isEqualTo(Kind.DATA);
        assertThat(Failures.classify(new DateTimeException("year"))).isEqualTo(Kind.DATA);
        assertThat(Failures.classify(new IllegalArgumentException("domain"))).isEqualTo(Kind.DATA);
        assertThat(Failures.classify(new NumberFormatException("n"))).isEqualTo(Kind.DATA);
        assertThat(Failures.classify(new BadRecordException("bad"))).isEqualTo(Kind.DATA);
        assertThat(Failures.classify(new MalformedInputException(1))).isEqualTo(Kind.DATA);
        assertThat(Failures.classify(new JsonParseException(null, "bad json")))
                .isEqualTo(Kind.DATA);
        assertThat(Failures.classify(new UncheckedIOException(new JsonParseException(null, "b"))))
                .isEqualTo(Kind.DATA);
    }

    @Test
    void environmentErrorsAreTransient() {
        assertThat(Failures.classify(new IOException("reset"))).isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(new SocketTimeoutException("t"))).isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(new TimeoutException("t"))).isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(new InterruptedException())).isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(new IllegalStateException("bug"))).isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(new NullPointerException())).isEqualTo(Kind.TRANSIENT);
        assertThat(Failures.classify(new OutOfMemoryError())).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void dataCauseInsideAWrapperIsData() {
        RuntimeException wrapped =
                new RuntimeException("step failed", new ArithmeticException("overflow"));
        assertThat(Failures.classify(wrapped)).isEqualTo(Kind.DATA);
    }

    @Test
    void transientCauseAnywhereWins() {
        SQLException timeout = new SQLException("cancelled", "57014");
        IllegalArgumentException data = new IllegalArgumentException("x", timeout);
        assertThat(Failures.classify(data)).isEqualTo(Kind.TRANSIENT);
        assertThat(
                        Failures.classify(
                                new SQLException(
                                        "bad", "22008", new IOException("connection reset"))))
                .isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void batchErrorLooksAtItsNextException() {
        BatchUpdateException batch = new BatchUpdateException("batch aborted", null, 0, null);
        batch.setNextException(new SQLException("timestamp out of range", "22008"));
        assertThat(Failures.classify(batch)).isEqualTo(Kind.DATA);
        assertThat(Failures.reason(batch, 200)).isEqualTo("SQLException: timestamp out of range");
        BatchUpdateException lost = new BatchUpdateException("batch aborted", null, 0, null);
        lost.setNextException(new SQLException("I/O error", "08006"));
        assertThat(Failures.classify(lost)).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void cyclicChainEnds() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        assertThat(Failures.classify(a)).isEqualTo(Kind.TRANSIENT);
        Exception deep = new ArithmeticException("root");
        for (int k = 0; k < 100; k++) {
            deep = new RuntimeException(deep);
        }
        // Past the examined depth nothing is known: fail over rather than guess.
        assertThat(Failures.classify(deep)).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void reasonIsBounded() {
        String huge = "x".repeat(10_000);
        String r = Failures.reason(new IllegalArgumentException(huge), 100);
        assertThat(r).hasSize(100).startsWith("IllegalArgumentException: xxx").endsWith("…");
        assertThat(Failures.reason(new ArithmeticException("long overflow"), 100))
                .isEqualTo("ArithmeticException: long overflow");
        assertThat(Failures.bounded("abc", 3)).isEqualTo("abc");
        assertThat(Failures.bounded("abcd", 3)).isEqualTo("ab…");
    }
}

package dev.shoppulse.common.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A report's derived views: final states, expiry, progress, ETA, and its Redis hash form. */
class ReportRowTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private static ReportRow row(String status, int shards, int done, Instant startedAt) {
        return new ReportRow(
                "r1",
                "u",
                "t",
                "{}",
                status,
                shards,
                done,
                2,
                null,
                null,
                null,
                T0,
                startedAt,
                null,
                T0.plusSeconds(3600));
    }

    @Test
    void onlySucceededFailedAndCancelledAreFinal() {
        assertThat(row(ReportRow.SUCCEEDED, 1, 1, T0).isFinal()).isTrue();
        assertThat(row(ReportRow.FAILED, 1, 0, T0).isFinal()).isTrue();
        assertThat(row(ReportRow.CANCELLED, 1, 0, null).isFinal()).isTrue();
        assertThat(row(ReportRow.QUEUED, 1, 0, null).isFinal()).isFalse();
        assertThat(row(ReportRow.RUNNING, 1, 0, T0).isFinal()).isFalse();
    }

    @Test
    void aReportExpiresAtItsExpiryInstant() {
        ReportRow r = row(ReportRow.SUCCEEDED, 1, 1, T0);
        assertThat(r.expired(T0.plusSeconds(3599))).isFalse();
        assertThat(r.expired(T0.plusSeconds(3600))).isTrue();
        assertThat(r.expired(T0.plusSeconds(3601))).isTrue();
        ReportRow noExpiry =
                new ReportRow(
                        "r",
                        "u",
                        "t",
                        "{}",
                        ReportRow.QUEUED,
                        1,
                        0,
                        0,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
        assertThat(noExpiry.expired(T0)).isFalse();
    }

    @Test
    void progressIsWholePercentAndOneHundredOnlyWhenSucceeded() {
        assertThat(row(ReportRow.RUNNING, 3, 1, T0).progressPercent()).isEqualTo(33);
        assertThat(row(ReportRow.RUNNING, 4, 3, T0).progressPercent()).isEqualTo(75);
        assertThat(row(ReportRow.RUNNING, 3, 3, T0).progressPercent()).isEqualTo(99);
        assertThat(row(ReportRow.SUCCEEDED, 3, 1, T0).progressPercent()).isEqualTo(100);
        assertThat(row(ReportRow.QUEUED, 3, 0, null).progressPercent()).isZero();
    }

    @Test
    void theEtaExtrapolatesTheTimePerFinishedShard() {
        // 2 of 5 shards in 60 s: 30 s each, 3 left.
        ReportRow r = row(ReportRow.RUNNING, 5, 2, T0);
        assertThat(r.eta(T0.plusSeconds(60))).isEqualTo(T0.plusSeconds(60 + 90));
        assertThat(row(ReportRow.RUNNING, 5, 0, T0).eta(T0.plusSeconds(60))).isNull();
        assertThat(row(ReportRow.RUNNING, 5, 2, null).eta(T0.plusSeconds(60))).isNull();
        assertThat(row(ReportRow.SUCCEEDED, 5, 5, T0).eta(T0.plusSeconds(60))).isNull();
        assertThat(row(ReportRow.QUEUED, 5, 2, T0).eta(T0.plusSeconds(60))).isNull();
    }

    @Test
    void theHashFormRoundTripsEveryFieldAndLeavesAbsentOnesOut() {
        ReportRow full =
                new ReportRow(
                        "r1",
                        "u",
                        "t",
                        "{\"a\":1}",
                        ReportRow.SUCCEEDED,
                        4,
                        4,
                        7,
                        123L,
                        "r1.csv",
                        "none",
                        T0,
                        T0.plusSeconds(1),
                        T0.plusSeconds(2),
                        T0.plusSeconds(3));
        Map<String, String> h = full.toHash();
        assertThat(h)
                .containsEntry("rows", "123")
                .containsEntry("file", "r1.csv")
                .containsEntry("error", "none")
                .containsEntry("createdAt", T0.toString())
                .containsEntry("startedAt", T0.plusSeconds(1).toString())
                .containsEntry("finishedAt", T0.plusSeconds(2).toString())
                .containsEntry("expiresAt", T0.plusSeconds(3).toString())
                .containsEntry("shards", "4")
                .containsEntry("version", "7");
        assertThat(ReportRow.fromHash(h)).isEqualTo(full);
        ReportRow sparse = row(ReportRow.QUEUED, 2, 0, null);
        Map<String, String> s = sparse.toHash();
        assertThat(s).doesNotContainKeys("rows", "file", "error", "startedAt", "finishedAt");
        assertThat(ReportRow.fromHash(s)).isEqualTo(sparse);
    }

    @Test
    void anEmptyOrPartialHashIsNotCached() {
        assertThat(ReportRow.fromHash(null)).isNull();
        assertThat(ReportRow.fromHash(Map.of())).isNull();
        Map<String, String> noStatus = new HashMap<>(row(ReportRow.QUEUED, 1, 0, null).toHash());
        noStatus.remove("status");
        assertThat(ReportRow.fromHash(noStatus)).isNull();
        Map<String, String> noId = new HashMap<>(row(ReportRow.QUEUED, 1, 0, null).toHash());
        noId.remove("id");
        assertThat(ReportRow.fromHash(noId)).isNull();
    }
}

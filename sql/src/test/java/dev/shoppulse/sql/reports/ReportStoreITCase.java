package dev.shoppulse.sql.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.sql.MigratedSchema;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The report state machine and the sample report's SQL against the real PostgreSQL. */
@Timeout(60)
class ReportStoreITCase {
    @RegisterExtension final MigratedSchema db = new MigratedSchema("rep");

    private ReportRow queued(String owner, String hash) throws SQLException {
        ReportStore.Created created =
                ReportStore.create(
                        db.connection(),
                        new ReportStore.NewReport(
                                UUID.randomUUID().toString().replace("-", ""),
                                owner,
                                "sales-by-day-product",
                                "{}",
                                hash,
                                null,
                                3,
                                Instant.now().plus(1, ChronoUnit.DAYS)),
                        10);
        return ((ReportStore.Created.New) created).row();
    }

    @Test
    void statusOnlyMovesForward() throws SQLException {
        ReportRow r = queued("u", "h1");
        assertThat(r.status()).isEqualTo(ReportRow.QUEUED);
        // Nothing but start (or fail/cancel) leaves QUEUED.
        assertThat(ReportStore.succeed(db.connection(), r.id(), "f", 1)).isEmpty();
        assertThat(ReportStore.shardDone(db.connection(), r.id(), LocalDate.parse("2026-01-01"), 1))
                .isEmpty();

        ReportRow running = ReportStore.start(db.connection(), r.id()).orElseThrow();
        assertThat(running.status()).isEqualTo(ReportRow.RUNNING);
        assertThat(running.version()).isGreaterThan(r.version());
        assertThat(ReportStore.start(db.connection(), r.id())).as("a replayed start").isEmpty();

        ReportRow one =
                ReportStore.shardDone(db.connection(), r.id(), LocalDate.parse("2026-01-01"), 5)
                        .get();
        assertThat(one.shardsDone()).isEqualTo(1);
        assertThat(ReportStore.shardDone(db.connection(), r.id(), LocalDate.parse("2026-01-01"), 5))
                .as("the same shard twice counts once")
                .isEmpty();

        ReportRow done =
                ReportStore.succeed(db.connection(), r.id(), "report.csv", 10).orElseThrow();
        assertThat(done.status()).isEqualTo(ReportRow.SUCCEEDED);
        assertThat(done.progressPercent()).isEqualTo(100);
        assertThat(ReportStore.fail(db.connection(), r.id(), "late")).isEmpty();
        assertThat(ReportStore.cancel(db.connection(), r.id(), "u")).isEmpty();
        assertThat(ReportStore.start(db.connection(), r.id())).isEmpty();
        assertThat(ReportStore.find(db.connection(), r.id()).orElseThrow().status())
                .isEqualTo(ReportRow.SUCCEEDED);

        // Even hand-written SQL cannot move it back: the trigger refuses.
        try (Statement st = db.connection().createStatement()) {
            assertThatThrownBy(
                            () ->
                                    st.executeUpdate(
                                            "UPDATE reports SET status = 'RUNNING' WHERE"
                                                    + " report_id = '"
                                                    + r.id()
                                                    + "'"))
                    .hasMessageContaining("cannot move from SUCCEEDED to RUNNING");
        }
    }

    @Test
    void cancelledAndFailedReportsStayThere() throws SQLException {
        ReportRow a = queued("u", "a");
        assertThat(ReportStore.cancel(db.connection(), a.id(), "someone-else")).isEmpty();
        assertThat(ReportStore.cancel(db.connection(), a.id(), "u").orElseThrow().status())
                .isEqualTo(ReportRow.CANCELLED);
        assertThat(ReportStore.start(db.connection(), a.id()))
                .as("the job sees it cancelled")
                .isEmpty();
        assertThat(ReportStore.fail(db.connection(), a.id(), "x")).isEmpty();

        ReportRow b = queued("u", "b");
        ReportStore.start(db.connection(), b.id());
        assertThat(ReportStore.fail(db.connection(), b.id(), "boom").orElseThrow().error())
                .isEqualTo("boom");
        assertThat(ReportStore.succeed(db.connection(), b.id(), "f", 1)).isEmpty();
        assertThat(ReportStore.cancel(db.connection(), b.id(), "u")).isEmpty();
    }

    @Test
    void shardQueriesTogetherEqualTheRangeQuery() throws SQLException {
        LocalDate from = LocalDate.parse("2026-03-01");
        assertThat(SalesReport.seed(db.connection(), from, 4, 300)).isEqualTo(1200);
        assertThat(SalesReport.seed(db.connection(), from, 4, 300))
                .as("seeding is idempotent")
                .isZero();
        StringBuilder shards = new StringBuilder(SalesReport.HEADER).append('\n');
        for (int d = 0; d < 4; d++) {
            List<String> lines = SalesReport.shard(db.connection(), from.plusDays(d));
            assertThat(lines).isNotEmpty();
            lines.forEach(l -> shards.append(l).append('\n'));
        }
        assertThat(shards.toString())
                .isEqualTo(SalesReport.csv(db.connection(), from, from.plusDays(3)));
    }
}

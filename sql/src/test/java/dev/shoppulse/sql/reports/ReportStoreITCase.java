package dev.shoppulse.sql.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The report state machine and the sample report's SQL against the real PostgreSQL. */
@Timeout(60)
class ReportStoreITCase {
    private String schema;
    private Connection c;

    @BeforeEach
    void setUp() throws SQLException {
        schema = TestServices.uniqueId("rep");
        TestServices.createSchema(schema);
        Migrations.apply(TestServices.postgresUrl(), TestServices.postgresUser(), null, schema);
        c = TestServices.postgres(schema);
    }

    @AfterEach
    void tearDown() throws SQLException {
        c.close();
        TestServices.dropSchema(schema);
    }

    private ReportRow queued(String owner, String hash) throws SQLException {
        ReportStore.Created created =
                ReportStore.create(
                        c,
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
        assertThat(ReportStore.succeed(c, r.id(), "f", 1)).isEmpty();
        assertThat(ReportStore.shardDone(c, r.id(), LocalDate.parse("2026-01-01"), 1)).isEmpty();

        ReportRow running = ReportStore.start(c, r.id()).orElseThrow();
        assertThat(running.status()).isEqualTo(ReportRow.RUNNING);
        assertThat(running.version()).isGreaterThan(r.version());
        assertThat(ReportStore.start(c, r.id())).as("a replayed start").isEmpty();

        ReportRow one = ReportStore.shardDone(c, r.id(), LocalDate.parse("2026-01-01"), 5).get();
        assertThat(one.shardsDone()).isEqualTo(1);
        assertThat(ReportStore.shardDone(c, r.id(), LocalDate.parse("2026-01-01"), 5))
                .as("the same shard twice counts once")
                .isEmpty();

        ReportRow done = ReportStore.succeed(c, r.id(), "report.csv", 10).orElseThrow();
        assertThat(done.status()).isEqualTo(ReportRow.SUCCEEDED);
        assertThat(done.progressPercent()).isEqualTo(100);
        assertThat(ReportStore.fail(c, r.id(), "late")).isEmpty();
        assertThat(ReportStore.cancel(c, r.id(), "u")).isEmpty();
        assertThat(ReportStore.start(c, r.id())).isEmpty();
        assertThat(ReportStore.find(c, r.id()).orElseThrow().status())
                .isEqualTo(ReportRow.SUCCEEDED);

        // Even hand-written SQL cannot move it back: the trigger refuses.
        try (Statement st = c.createStatement()) {
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
        assertThat(ReportStore.cancel(c, a.id(), "someone-else")).isEmpty();
        assertThat(ReportStore.cancel(c, a.id(), "u").orElseThrow().status())
                .isEqualTo(ReportRow.CANCELLED);
        assertThat(ReportStore.start(c, a.id())).as("the job sees it cancelled").isEmpty();
        assertThat(ReportStore.fail(c, a.id(), "x")).isEmpty();

        ReportRow b = queued("u", "b");
        ReportStore.start(c, b.id());
        assertThat(ReportStore.fail(c, b.id(), "boom").orElseThrow().error()).isEqualTo("boom");
        assertThat(ReportStore.succeed(c, b.id(), "f", 1)).isEmpty();
        assertThat(ReportStore.cancel(c, b.id(), "u")).isEmpty();
    }

    @Test
    void shardQueriesTogetherEqualTheRangeQuery() throws SQLException {
        LocalDate from = LocalDate.parse("2026-03-01");
        assertThat(SalesReport.seed(c, from, 4, 300)).isEqualTo(1200);
        assertThat(SalesReport.seed(c, from, 4, 300)).as("seeding is idempotent").isZero();
        StringBuilder shards = new StringBuilder(SalesReport.HEADER).append('\n');
        for (int d = 0; d < 4; d++) {
            List<String> lines = SalesReport.shard(c, from.plusDays(d));
            assertThat(lines).isNotEmpty();
            lines.forEach(l -> shards.append(l).append('\n'));
        }
        assertThat(shards.toString()).isEqualTo(SalesReport.csv(c, from, from.plusDays(3)));
    }
}

package dev.shoppulse.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.sql.LogPartitions.Route;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Window arithmetic and generated DDL of the app_logs maintenance; nothing started. */
class LogPartitionsTest {
    private static final Instant NOW = Instant.parse("2026-11-27T15:30:00Z");

    @Test
    void windowIsWholeDays() {
        assertThat(LogPartitions.boundary(NOW, 30))
                .isEqualTo(Instant.parse("2026-10-28T00:00:00Z"));
        assertThat(LogPartitions.horizon(NOW, 3)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        LogPartitions p = new LogPartitions(30, 3, 500);
        assertThat(p.wantedDays(NOW))
                .hasSize(31 + 3)
                .startsWith(LocalDate.parse("2026-10-28"))
                .endsWith(LocalDate.parse("2026-11-30"));
        assertThat(p.retired(LocalDate.parse("2026-10-27"), NOW)).isTrue();
        assertThat(p.retired(LocalDate.parse("2026-10-28"), NOW)).isFalse();
    }

    @Test
    void rowsAreRoutedAgainstTheWindow() {
        assertThat(LogPartitions.route(Instant.parse("2026-10-27T23:59:59Z"), NOW, 30, 3))
                .isEqualTo(Route.RETIRED);
        assertThat(LogPartitions.route(Instant.parse("2026-10-28T00:00:00Z"), NOW, 30, 3))
                .isEqualTo(Route.KEEP);
        assertThat(LogPartitions.route(Instant.parse("2026-11-30T23:59:59Z"), NOW, 30, 3))
                .isEqualTo(Route.KEEP);
        assertThat(LogPartitions.route(Instant.parse("2026-12-01T00:00:00Z"), NOW, 30, 3))
                .isEqualTo(Route.TOO_FAR_AHEAD);
    }

    @Test
    void ddlNamesTheDayAndItsRange() {
        LocalDate d = LocalDate.parse("2026-11-27");
        assertThat(LogSql.partition(d)).isEqualTo("app_logs_20261127");
        assertThat(LogSql.dayOf("app_logs_20261127")).isEqualTo(d);
        assertThat(LogSql.dayOf("app_logs_default")).isNull();
        assertThat(LogSql.createDay(d))
                .contains("CHECK (logged_at >= '2026-11-27 00:00:00+00'")
                .contains("logged_at < '2026-11-28 00:00:00+00'");
        assertThat(LogSql.attachDay(d))
                .isEqualTo(
                        "ALTER TABLE app_logs ATTACH PARTITION app_logs_20261127 FOR VALUES FROM"
                                + " ('2026-11-27 00:00:00+00') TO ('2026-11-28 00:00:00+00')");
        assertThat(LogSql.detach("app_logs_20261127")).doesNotContain("CONCURRENTLY");
    }
}

package dev.shoppulse.jobs.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.jobs.flink.RawRecord;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** A request's range as the splitter sees it: inclusive days, carried as epoch days. */
class ReportTaskTest {
    private static ReportTask task(LocalDate from, LocalDate to) {
        ReportRequest r =
                new ReportRequest(
                        "r1",
                        "acme",
                        ReportRequest.SALES_BY_DAY_PRODUCT,
                        from,
                        to,
                        Instant.parse("2026-11-27T10:00:00Z"));
        return ReportTask.of(r, new RawRecord("report-requests", 3, 42L, 0L, null, new byte[0]));
    }

    @Test
    void aRangeIsInclusiveOnBothEnds() {
        LocalDate first = LocalDate.of(2026, 10, 30);
        ReportTask oneDay = task(first, first);
        assertThat(oneDay.days()).isEqualTo(1);
        assertThat(oneDay.from()).isEqualTo(first);
        ReportTask overMonthEnd = task(first, LocalDate.of(2026, 11, 2));
        assertThat(overMonthEnd.days()).isEqualTo(4);
        assertThat(overMonthEnd.from()).isEqualTo(first);
        assertThat(overMonthEnd.toEpochDay() - overMonthEnd.fromEpochDay()).isEqualTo(3);
    }

    @Test
    void theTaskCarriesTheRequestAndItsKafkaPosition() {
        ReportTask t = task(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 31));
        assertThat(t.reportId()).isEqualTo("r1");
        assertThat(t.owner()).isEqualTo("acme");
        assertThat(t.type()).isEqualTo(ReportRequest.SALES_BY_DAY_PRODUCT);
        assertThat(t.partition()).isEqualTo(3);
        assertThat(t.offset()).isEqualTo(42L);
        assertThat(t.days()).isEqualTo(31);
    }

    @Test
    void aShardsDayIsItsEpochDay() {
        LocalDate day = LocalDate.of(2024, 2, 29);
        ReportShard s = new ReportShard("r1", "acme", "t", day.toEpochDay(), 5, false);
        assertThat(s.day()).isEqualTo(day);
    }
}

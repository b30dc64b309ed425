package dev.shoppulse.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.sql.LogPartitions.Route;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The app_logs window routing, for any row time: a kept row always has a wanted partition. */
class LogPartitionsProperties {
    private static final Instant NOW = Instant.parse("2026-11-27T15:30:00Z");

    @Property(tries = 300)
    void aKeptRowAlwaysHasAWantedPartitionAndNeverARetiredOne(
            @ForAll @LongRange(min = -5_000_000, max = 5_000_000) long offsetSeconds,
            @ForAll @IntRange(min = 1, max = 40) int retention,
            @ForAll @IntRange(min = 0, max = 5) int ahead) {
        Instant row = NOW.plus(Duration.ofSeconds(offsetSeconds));
        LogPartitions p = new LogPartitions(retention, ahead, 500);
        LocalDate day = LocalDate.ofInstant(row, java.time.ZoneOffset.UTC);
        boolean kept = LogPartitions.route(row, NOW, retention, ahead) == Route.KEEP;
        assertThat(p.wantedDays(NOW).contains(day)).isEqualTo(kept);
        if (kept) {
            assertThat(p.retired(day, NOW)).isFalse();
        }
    }
}

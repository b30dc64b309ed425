package dev.shoppulse.common.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.hostile.HostileLimits;
import dev.shoppulse.common.hostile.HostileRecords;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.common.serde.BadRecordException;
import dev.shoppulse.common.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The static domains hold against the real PostgreSQL: the widest accepted instants and dates
 * round-trip through timestamptz and date, and every string of a sample of accepted hostile records
 * is stored as text unchanged.
 */
@Timeout(120)
class DomainsPostgresITCase {
    private String schema;

    @BeforeEach
    void schema() {
        schema = TestServices.uniqueId("domains");
        TestServices.createSchema(schema);
    }

    @AfterEach
    void drop() {
        TestServices.dropSchema(schema);
    }

    @Test
    void boundaryTimesAndDatesRoundTrip() throws Exception {
        try (Connection c = TestServices.postgres(schema);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (at timestamptz, d date)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                for (Object[] row :
                        List.of(
                                new Object[] {Check.MIN_INSTANT, Check.MIN_DATE},
                                new Object[] {Check.MAX_INSTANT, Check.MAX_DATE})) {
                    ps.setObject(1, OffsetDateTime.ofInstant((Instant) row[0], ZoneOffset.UTC));
                    ps.setObject(2, row[1]);
                    ps.executeUpdate();
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT at, d FROM t ORDER BY at")) {
                rs.next();
                assertThat(rs.getObject(1, OffsetDateTime.class).toInstant())
                        .isEqualTo(Check.MIN_INSTANT);
                assertThat(rs.getObject(2, LocalDate.class)).isEqualTo(Check.MIN_DATE);
                rs.next();
                assertThat(rs.getObject(1, OffsetDateTime.class).toInstant())
                        .isEqualTo(Check.MAX_INSTANT);
                assertThat(rs.getObject(2, LocalDate.class)).isEqualTo(Check.MAX_DATE);
            }
        }
    }

    @Test
    void stringsOfAcceptedHostileRecordsAreStoredUnchanged() throws Exception {
        HostileRecords gen = new HostileRecords(HostileLimits.SMALL);
        Random r = new Random(11);
        byte[] log =
                LogsCapability.LOGS
                        .codec()
                        .encode(new LogEntry(Instant.now(), "svc", "INFO", "hello\tworld"));
        byte[] search =
                SearchCapability.SEARCHES
                        .codec()
                        .encode(
                                new SearchEvent(
                                        "s1", "u1", null, "red shoes", "p1", Instant.now()));
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 3_000 && accepted.size() < 300; i++) {
            try {
                LogEntry e = LogsCapability.LOGS.codec().decode(gen.mutate(r, log).value());
                accepted.add(e.service());
                accepted.add(e.message());
            } catch (BadRecordException expected) {
                // rejected at the edge: nothing to store
            }
            try {
                SearchEvent e =
                        SearchCapability.SEARCHES.codec().decode(gen.mutate(r, search).value());
                accepted.add(e.eventId());
                accepted.add(e.query());
                accepted.add(e.key());
            } catch (BadRecordException expected) {
                // rejected at the edge: nothing to store
            }
        }
        assertThat(accepted).hasSizeGreaterThan(20);
        try (Connection c = TestServices.postgres(schema);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE s (i int, v text)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO s VALUES (?, ?)")) {
                for (int i = 0; i < accepted.size(); i++) {
                    ps.setInt(1, i);
                    ps.setString(2, accepted.get(i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (ResultSet rs = st.executeQuery("SELECT i, v FROM s ORDER BY i")) {
                while (rs.next()) {
                    assertThat(rs.getString(2)).isEqualTo(accepted.get(rs.getInt(1)));
                }
            }
        }
    }
}

package dev.shoppulse.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Splitting a batch that fails on data: good rows written, each bad row rejected alone. */
class BisectTest {

    /** An all-or-nothing fake statement that fails on any bad row with a data error. */
    static final class FakeTable implements Bisect.Statement<Integer> {
        final Set<Integer> bad;
        final List<Integer> written = new ArrayList<>();
        int statements;

        FakeTable(Set<Integer> bad) {
            this.bad = bad;
        }

        @Override
        public void execute(List<Integer> rows) throws SQLException {
            statements++;
            for (Integer r : rows) {
                if (bad.contains(r)) {
                    throw new SQLException("value out of range: " + r, "22003");
                }
            }
            written.addAll(rows);
        }
    }

    static List<Integer> rows(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void aCleanBatchIsOneStatement() throws Exception {
        FakeTable table = new FakeTable(Set.of());
        assertThat(Bisect.write(rows(500), table, (r, e) -> {})).isEqualTo(1);
        assertThat(Bisect.write(List.of(), table, (r, e) -> {})).isZero();
    }

    @Test
    void oneBadRowInFiveHundredCostsAboutTwoLogNStatements() throws Exception {
        FakeTable table = new FakeTable(Set.of(317));
        List<Integer> rejected = new ArrayList<>();
        int statements = Bisect.write(rows(500), table, (r, e) -> rejected.add(r));
        assertThat(rejected).containsExactly(317);
        assertThat(table.written).hasSize(499);
        assertThat(statements).isLessThanOrEqualTo(1 + 2 * 9);
    }

    @Test
    void aTransientFailureIsThrownWithoutSplitting() {
        List<Integer> rejected = new ArrayList<>();
        int[] calls = {0};
        assertThatThrownBy(
                        () ->
                                Bisect.write(
                                        rows(100),
                                        r -> {
                                            calls[0]++;
                                            throw new SQLException("connection lost", "08006");
                                        },
                                        (r, e) -> rejected.add(r)))
                .isInstanceOf(SQLException.class)
                .hasMessage("connection lost");
        assertThat(calls[0]).isEqualTo(1);
        assertThat(rejected).isEmpty();
    }

    @Test
    void aTransientFailureInsideASplitIsThrown() {
        int[] calls = {0};
        assertThatThrownBy(
                        () ->
                                Bisect.write(
                                        rows(8),
                                        r -> {
                                            calls[0]++;
                                            if (calls[0] == 1) {
                                                throw new SQLException("bad", "22008");
                                            }
                                            throw new SQLException("shutdown", "57P01");
                                        },
                                        (r, e) -> {}))
                .hasMessage("shutdown");
        assertThat(calls[0]).isEqualTo(2);
    }

    @Test
    void theRejectionCarriesTheRowsOwnFailure() throws Exception {
        List<String> reasons = new ArrayList<>();
        Bisect.write(
                rows(4), new FakeTable(Set.of(2)), (r, e) -> reasons.add(r + ":" + e.getMessage()));
        assertThat(reasons).containsExactly("2:value out of range: 2");
    }
}

package dev.shoppulse.jobs.flink;

import java.util.List;

/**
 * Writes a batch with an all-or-nothing statement and, when the statement fails on data, splits it
 * in halves until the good rows are written and each bad row is alone and rejected. A batch with
 * {@code k} bad rows among {@code n} costs at most about {@code 2k·log2(n) + 1} statements; a
 * transient failure is thrown at once, so the caller fails over as before.
 */
public final class Bisect {
    private Bisect() {}

    /** One all-or-nothing statement over some rows. */
    @FunctionalInterface
    public interface Statement<T> {
        void execute(List<T> rows) throws Exception;
    }

    /** Receives a row that fails on its own, with the failure. */
    @FunctionalInterface
    public interface Rejected<T> {
        void reject(T row, Exception failure) throws Exception;
    }

    /**
     * Writes {@code rows} (not modified) and returns the number of statements executed.
     *
     * @throws Exception the first failure {@link Failures} calls transient
     */
    public static <T> int write(List<T> rows, Statement<T> statement, Rejected<T> rejected)
            throws Exception {
        if (rows.isEmpty()) {
            return 0;
        }
        int statements = 1;
        try {
            statement.execute(rows);
            return statements;
        } catch (Exception e) {
            if (!Failures.isData(e)) {
                throw e;
            }
            if (rows.size() == 1) {
                rejected.reject(rows.get(0), e);
                return statements;
            }
        }
        // Recursion depth is log2(n): the rows list never grows beyond the batch size.
        int mid = rows.size() / 2;
        statements += write(rows.subList(0, mid), statement, rejected);
        statements += write(rows.subList(mid, rows.size()), statement, rejected);
        return statements;
    }
}

package dev.shoppulse.jobs.flink;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One parameterised statement and how a row binds to it, for {@link GuardedJdbcWriter}. The
 * statement must be idempotent (a guarded upsert, an insert with {@code ON CONFLICT DO NOTHING}):
 * after a failure the rows since the last checkpoint are written again.
 *
 * @param <T> the row type
 */
public interface JdbcRows<T> extends Serializable {
    String sql();

    void bind(PreparedStatement ps, T row) throws SQLException;
}

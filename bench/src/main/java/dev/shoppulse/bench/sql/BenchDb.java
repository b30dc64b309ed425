package dev.shoppulse.bench.sql;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.sql.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A throw-away, migrated schema of its own for one SQL benchmark, dropped when it ends. */
final class BenchDb implements AutoCloseable {
    final String schema;
    private final ShopPulseConfig config;

    BenchDb(ShopPulseConfig config, String suffix) throws SQLException {
        this.config = config;
        this.schema = config.get(Settings.POSTGRES_SCHEMA) + "_" + suffix;
        try (Connection c = plain();
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
        }
        Migrations.apply(
                config.get(Settings.POSTGRES_URL),
                config.get(Settings.POSTGRES_USER),
                config.getOrNull(Settings.POSTGRES_PASSWORD),
                schema);
    }

    private Connection plain() throws SQLException {
        return Postgres.dataSource(config, "public").getConnection();
    }

    Connection connect() throws SQLException {
        return Postgres.dataSource(config, schema).getConnection();
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static long tableBytes(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                var rs =
                        st.executeQuery(
                                "SELECT pg_total_relation_size('" + table + "'::regclass)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = plain();
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}

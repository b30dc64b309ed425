package dev.shoppulse.launcher.sql;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A JDBC connection to the local run's schema, for seeding data and reading figures. */
final class LocalDb {
    private LocalDb() {}

    static Connection connect(ShopPulseConfig config) throws SQLException {
        Connection c =
                DriverManager.getConnection(
                        config.get(Settings.POSTGRES_URL),
                        config.get(Settings.POSTGRES_USER),
                        config.getOrNull(Settings.POSTGRES_PASSWORD));
        try (Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + config.get(Settings.POSTGRES_SCHEMA) + ", public");
        }
        return c;
    }
}

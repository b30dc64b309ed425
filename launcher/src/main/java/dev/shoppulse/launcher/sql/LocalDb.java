package dev.shoppulse.launcher.sql;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.postgres.Postgres;
import java.sql.Connection;
import java.sql.SQLException;

/** A JDBC connection to the local run's schema, for seeding data and reading figures. */
final class LocalDb {
    private LocalDb() {}

    static Connection connect(ShopPulseConfig config) throws SQLException {
        return Postgres.connect(config);
    }
}

package dev.shoppulse.common.postgres;

import dev.shoppulse.common.config.Secrets;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where ShopPulse's PostgreSQL schema is, small and serializable so Flink functions can carry it;
 * the password is not part of it: {@link #dataSource()} reads it from the environment ({@code
 * SHOPPULSE_POSTGRES_PASSWORD}) of the process that connects.
 */
public record PostgresSettings(String url, String user, String schema) implements Serializable {

    public static PostgresSettings from(ShopPulseConfig config) {
        return new PostgresSettings(
                config.get(Settings.POSTGRES_URL),
                config.get(Settings.POSTGRES_USER),
                config.get(Settings.POSTGRES_SCHEMA));
    }

    /** The URL with {@code currentSchema} set, for connectors that take a URL. */
    public String urlWithSchema() {
        return Postgres.urlWithSchema(url, schema);
    }

    /** The password from the environment of this process, or null. */
    public static String passwordFromEnvironment() {
        return Secrets.fromEnvironment(Settings.POSTGRES_PASSWORD);
    }

    /** A data source for the schema, with the password of this process's environment. */
    public DataSource dataSource() {
        return Postgres.dataSource(url, user, passwordFromEnvironment(), schema);
    }

    /** One connection to the schema; the caller closes it. */
    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }
}

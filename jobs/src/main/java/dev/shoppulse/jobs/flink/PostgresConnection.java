package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.postgres.Postgres;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;

/**
 * JDBC connector options for ShopPulse's schema, from configuration (URL from {@link Postgres}).
 */
public final class PostgresConnection {
    private PostgresConnection() {}

    /** The configured URL with {@code currentSchema} set, so unqualified table names resolve. */
    public static String urlWithSchema(ShopPulseConfig config) {
        return Postgres.urlWithSchema(config);
    }

    public static JdbcConnectionOptions options(ShopPulseConfig config) {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder b =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(urlWithSchema(config))
                        .withDriverName("org.postgresql.Driver")
                        .withUsername(config.get(Settings.POSTGRES_USER));
        String password = config.getOrNull(Settings.POSTGRES_PASSWORD);
        if (password != null) {
            b.withPassword(password);
        }
        return b.build();
    }
}

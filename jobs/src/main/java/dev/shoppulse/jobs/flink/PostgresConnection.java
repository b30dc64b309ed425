package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.postgres.PostgresSettings;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;

/**
 * JDBC connector options for ShopPulse's schema. Built in {@code open()} on the TaskManager, never
 * carried by an operator: the options hold the password, which comes from the environment of the
 * process that connects.
 */
public final class PostgresConnection {
    private PostgresConnection() {}

    public static JdbcConnectionOptions options(PostgresSettings postgres) {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder b =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(postgres.urlWithSchema())
                        .withDriverName("org.postgresql.Driver")
                        .withUsername(postgres.user());
        String password = PostgresSettings.passwordFromEnvironment();
        if (password != null) {
            b.withPassword(password);
        }
        return b.build();
    }
}

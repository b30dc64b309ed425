package dev.shoppulse.sql;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies ShopPulse's versioned migrations ({@code classpath:db/migration/V*__*.sql}) to the
 * configured schema, creating it if needed. The local run, the tests and the cluster submitter all
 * go through here, so every database is built the same way.
 */
public final class Migrations {
    private Migrations() {}

    public static MigrateResult apply(ShopPulseConfig config) {
        return apply(
                config.get(Settings.POSTGRES_URL),
                config.get(Settings.POSTGRES_USER),
                config.getOrNull(Settings.POSTGRES_PASSWORD),
                config.get(Settings.POSTGRES_SCHEMA));
    }

    public static MigrateResult apply(String url, String user, String password, String schema) {
        return Flyway.configure()
                .dataSource(url, user, password)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}

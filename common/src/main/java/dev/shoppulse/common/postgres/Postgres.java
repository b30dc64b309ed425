package dev.shoppulse.common.postgres;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The one way ShopPulse obtains PostgreSQL connections: a {@link DataSource} (or a JDBC URL, for
 * connectors that want one) whose connections resolve unqualified names in one schema, through the
 * driver's {@code currentSchema} property. Pools (the API's Hikari) wrap this data source.
 */
public final class Postgres {
    private Postgres() {}

    // A schema name is spliced into the URL and into DDL elsewhere: keep it a plain identifier.
    private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** The configured database and schema ({@code postgres.*} settings). */
    public static DataSource dataSource(ShopPulseConfig config) {
        return dataSource(config, config.get(Settings.POSTGRES_SCHEMA));
    }

    /** The configured database with another schema (benchmarks, tests). */
    public static DataSource dataSource(ShopPulseConfig config, String schema) {
        return dataSource(
                config.get(Settings.POSTGRES_URL),
                config.get(Settings.POSTGRES_USER),
                config.getOrNull(Settings.POSTGRES_PASSWORD),
                schema);
    }

    /** A data source for {@code schema} of the database at {@code url}. */
    public static DataSource dataSource(String url, String user, String password, String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(Objects.requireNonNull(url, "url"));
        ds.setUser(user);
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setCurrentSchema(checkSchema(schema));
        // A PostgreSQL that is down must not hold a caller for the driver's default of minutes.
        if (ds.getConnectTimeout() == 0 || ds.getConnectTimeout() == 10) {
            ds.setConnectTimeout(5);
        }
        return ds;
    }

    /** One connection to the configured schema; the caller closes it. */
    public static Connection connect(ShopPulseConfig config) throws SQLException {
        return dataSource(config).getConnection();
    }

    /** The configured URL with {@code currentSchema} set, for connectors that take a URL. */
    public static String urlWithSchema(ShopPulseConfig config) {
        return urlWithSchema(
                config.get(Settings.POSTGRES_URL), config.get(Settings.POSTGRES_SCHEMA));
    }

    /** {@code url} with {@code currentSchema=schema} appended. */
    public static String urlWithSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + checkSchema(schema);
    }

    private static String checkSchema(String schema) {
        if (schema == null || !SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException(
                    "postgres schema must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*): "
                            + schema);
        }
        return schema;
    }
}

package dev.shoppulse.common.testing;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The real services tests run against: Redis and PostgreSQL on localhost (overridable through
 * {@code SHOPPULSE_TEST_REDIS_HOST}, {@code SHOPPULSE_TEST_REDIS_PORT}, {@code
 * SHOPPULSE_TEST_POSTGRES_URL}, {@code SHOPPULSE_TEST_POSTGRES_USER}) and the shared in-JVM Kafka
 * broker.
 *
 * <p>Each call to {@link #isolated()} returns a configuration with a fresh Redis key prefix and a
 * fresh PostgreSQL schema, so no test sees another's data.
 */
public final class TestServices {
    private TestServices() {}

    public static String redisHost() {
        return env("SHOPPULSE_TEST_REDIS_HOST").orElse("127.0.0.1");
    }

    public static int redisPort() {
        return Integer.parseInt(env("SHOPPULSE_TEST_REDIS_PORT").orElse("6379"));
    }

    public static String postgresUrl() {
        return env("SHOPPULSE_TEST_POSTGRES_URL").orElse("jdbc:postgresql://127.0.0.1:5432/test");
    }

    public static String postgresUser() {
        return env("SHOPPULSE_TEST_POSTGRES_USER").orElse("postgres");
    }

    /** A short random word for schema names and key prefixes. */
    public static String uniqueId(String base) {
        return base + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /**
     * Configuration pointing at the real services, with its own Redis prefix and PostgreSQL schema
     * (created empty here; migrations are the caller's business), fast checkpoints, and the shared
     * broker.
     */
    public static ShopPulseConfig isolated() {
        String id = uniqueId("t");
        String schema = id;
        createSchema(schema);
        return ShopPulseConfig.load(new String[0], Map.of())
                .with(Settings.KAFKA_BOOTSTRAP, KafkaBroker.shared().bootstrap())
                .with(Settings.KAFKA_TXN_PREFIX, id)
                .with(Settings.KAFKA_GROUP_PREFIX, id)
                .with(Settings.REDIS_HOST, redisHost())
                .with(Settings.REDIS_PORT, redisPort())
                .with(Settings.REDIS_KEY_PREFIX, id)
                .with(Settings.POSTGRES_URL, postgresUrl())
                .with(Settings.POSTGRES_USER, postgresUser())
                .with(Settings.POSTGRES_SCHEMA, schema)
                .with(Settings.CHECKPOINT_INTERVAL, "500ms");
    }

    public static Connection postgres() throws SQLException {
        return DriverManager.getConnection(postgresUrl(), postgresUser(), null);
    }

    /** A connection whose search_path is the given schema. */
    public static Connection postgres(String schema) throws SQLException {
        Connection c = postgres();
        try (Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
        }
        return c;
    }

    public static void createSchema(String schema) {
        try (Connection c = postgres();
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL is not reachable at "
                            + postgresUrl()
                            + " (start it, or set SHOPPULSE_TEST_POSTGRES_URL)",
                    e);
        }
    }

    public static void dropSchema(String schema) {
        try (Connection c = postgres();
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RedisClient redis() {
        return RedisClient.create(redisHost(), redisPort());
    }

    /** Deletes every key under a prefix; tests call it when they finish. */
    public static void deleteRedisKeys(String prefix) {
        try (RedisClient r = redis()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page =
                        r.scan(cursor, new ScanParams().match(prefix + ":*").count(500));
                if (!page.getResult().isEmpty()) {
                    r.del(page.getResult().toArray(new String[0]));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    /** Removes what {@link #isolated()} created. */
    public static void cleanUp(ShopPulseConfig config) {
        dropSchema(config.get(Settings.POSTGRES_SCHEMA));
        deleteRedisKeys(config.get(Settings.REDIS_KEY_PREFIX));
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(s -> !s.isBlank());
    }
}

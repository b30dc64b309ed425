package dev.shoppulse.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shoppulse.api.health.HealthResource;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.api.orders.OrdersResource;
import dev.shoppulse.api.search.TopSearchesResource;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.TopSearchesRedis;
import io.javalin.Javalin;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * The REST service: connects to PostgreSQL and Redis, registers one resource per capability and
 * serves them. {@code main} runs it alone; the local runner and tests embed it.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final HikariDataSource db;
    private final RedisClient redis;
    private final Javalin app;

    private ApiServer(ShopPulseConfig config) {
        this.db = dataSource(config);
        this.redis = RedisSettings.from(config).connect();
        this.app = Api.create(resources(config));
    }

    /** Every capability's endpoints; a new capability adds its resource here. */
    private List<Resource> resources(ShopPulseConfig config) {
        return List.of(
                new HealthResource(config.get(Settings.KAFKA_BOOTSTRAP), redis, db),
                new OrdersResource(db),
                new TopSearchesResource(
                        new TopSearchesRedis(
                                redis,
                                RedisSettings.from(config).keys(),
                                config.getDuration(Settings.SEARCH_RANKING_TTL))));
    }

    public static ApiServer start(ShopPulseConfig config) {
        ApiServer server = new ApiServer(config);
        server.app.start(config.getInt(Settings.API_PORT));
        LOG.info("API listening on port {}", server.port());
        return server;
    }

    public int port() {
        return app.port();
    }

    public static void main(String[] args) {
        ShopPulseConfig config = ShopPulseConfig.load(args);
        ApiServer server = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "api-stop"));
    }

    static HikariDataSource dataSource(ShopPulseConfig config) {
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(config.get(Settings.POSTGRES_URL));
        h.setUsername(config.get(Settings.POSTGRES_USER));
        h.setPassword(config.getOrNull(Settings.POSTGRES_PASSWORD));
        h.setSchema(config.get(Settings.POSTGRES_SCHEMA));
        h.setMaximumPoolSize(8);
        h.setConnectionTimeout(2000);
        // Start even when PostgreSQL is down; /health reports it and requests get 503.
        h.setInitializationFailTimeout(-1);
        h.setPoolName("shoppulse-api");
        return new HikariDataSource(h);
    }

    @Override
    public void close() {
        app.stop();
        redis.close();
        db.close();
    }
}

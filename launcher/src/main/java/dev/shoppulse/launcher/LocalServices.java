package dev.shoppulse.launcher;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.topics.Topic;
import dev.shoppulse.common.topics.Topics;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The services of a local run: an in-JVM Kafka broker, and Redis and PostgreSQL on localhost when
 * they answer, otherwise real embedded servers (redis-server and PostgreSQL binaries from Maven
 * Central). Returns the configuration that points at whatever it used.
 */
public final class LocalServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalServices.class);

    private final List<AutoCloseable> started = new ArrayList<>();
    private ShopPulseConfig config;

    private LocalServices() {}

    public static LocalServices start(ShopPulseConfig base) throws Exception {
        LocalServices s = new LocalServices();
        try {
            s.config = s.startAll(base);
            return s;
        } catch (Exception e) {
            s.close();
            throw e;
        }
    }

    public ShopPulseConfig config() {
        return config;
    }

    private ShopPulseConfig startAll(ShopPulseConfig c) throws Exception {
        String embedded = c.get(Settings.LOCAL_EMBEDDED);
        KafkaBroker kafka = KafkaBroker.start();
        started.add(kafka);
        c = c.with(Settings.KAFKA_BOOTSTRAP, kafka.bootstrap());
        for (Topic<?> t : Topics.ALL) {
            kafka.createTopics(4, c.topic(t));
        }
        Log.info("kafka   in-JVM KRaft broker at %s", kafka.bootstrap());

        if (embedded.equals("always") || (embedded.equals("auto") && !redisAnswers(c))) {
            int port = freePort();
            RedisServer redis = new RedisServer(port);
            redis.start();
            started.add(redis::stop);
            c = c.with(Settings.REDIS_HOST, "127.0.0.1").with(Settings.REDIS_PORT, port);
            Log.info("redis   embedded redis-server on 127.0.0.1:%d", port);
        } else {
            Log.info("redis   using %s:%s", c.get(Settings.REDIS_HOST), c.get(Settings.REDIS_PORT));
        }

        if (embedded.equals("always") || (embedded.equals("auto") && !postgresAnswers(c))) {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            started.add(pg);
            c =
                    c.with(Settings.POSTGRES_URL, pg.getJdbcUrl("postgres", "postgres"))
                            .with(Settings.POSTGRES_USER, "postgres");
            Log.info("postgres embedded PostgreSQL on port %d", pg.getPort());
        } else {
            Log.info("postgres using %s", c.get(Settings.POSTGRES_URL));
        }
        return c;
    }

    static boolean redisAnswers(ShopPulseConfig c) {
        try (Redis r = Redis.open(RedisSettings.from(c))) {
            return "PONG".equals(r.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    static boolean postgresAnswers(ShopPulseConfig c) {
        DriverManager.setLoginTimeout(2);
        try (Connection conn =
                DriverManager.getConnection(
                        c.get(Settings.POSTGRES_URL),
                        c.get(Settings.POSTGRES_USER),
                        c.getOrNull(Settings.POSTGRES_PASSWORD))) {
            return conn.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("could not stop a local service", e);
            }
        }
        started.clear();
    }
}

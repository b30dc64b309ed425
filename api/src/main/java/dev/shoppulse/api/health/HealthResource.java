package dev.shoppulse.api.health;

import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.api.http.Access;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.api.http.Routes;
import dev.shoppulse.common.redis.Redis;
import io.javalin.http.Context;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * {@code GET /health}: whether Kafka, Redis and PostgreSQL answer; 200 when all do, 503 otherwise.
 * Anyone (a load balancer) gets only the status; {@code GET /health/details} (scope {@code ops})
 * adds one entry per dependency.
 */
public final class HealthResource implements Resource, AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin kafka;
    private final Redis redis;
    private final DataSource db;

    public HealthResource(String kafkaBootstrap, Redis redis, DataSource db) {
        // One admin client for the life of the API: creating one per probe costs threads and a
        // metadata round trip on every health check.
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.kafka = Admin.create(p);
        this.redis = redis;
        this.db = db;
    }

    /** One dependency's state. */
    public record Check(String status, String detail) {}

    /** The response body. */
    public record Health(String status, Map<String, Check> checks) {}

    @Override
    public void routes(Routes routes) {
        routes.get(
                "/health",
                Access.open("public liveness: the status only, no internals").asOps(),
                ctx -> {
                    Health h = probeAll();
                    ctx.status("UP".equals(h.status()) ? 200 : 503);
                    Api.json(ctx, Map.of("status", h.status()));
                });
        routes.get(
                "/health/details",
                Access.scope(Scopes.OPS, "operators only").asOps(),
                this::health);
    }

    void health(Context ctx) {
        Health h = probeAll();
        ctx.status("UP".equals(h.status()) ? 200 : 503);
        Api.json(ctx, h);
    }

    private Health probeAll() {
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("kafka", check(this::kafka));
        checks.put("redis", check(() -> redis.ping()));
        checks.put("postgres", check(this::postgres));
        boolean up = checks.values().stream().allMatch(c -> c.status().equals("UP"));
        return new Health(up ? "UP" : "DOWN", checks);
    }

    private String kafka() throws Exception {
        int brokers =
                kafka.describeCluster(
                                new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                        .nodes()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .size();
        return brokers + " broker(s)";
    }

    private String postgres() throws Exception {
        try (Connection c = db.getConnection()) {
            return c.isValid((int) TIMEOUT.toSeconds()) ? "connected" : "invalid connection";
        }
    }

    @FunctionalInterface
    private interface Probe {
        String run() throws Exception;
    }

    private static Check check(Probe probe) {
        try {
            return new Check("UP", probe.run());
        } catch (Exception e) {
            return new Check("DOWN", e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        kafka.close(TIMEOUT);
    }
}

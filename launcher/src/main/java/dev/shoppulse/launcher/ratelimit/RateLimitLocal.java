package dev.shoppulse.launcher.ratelimit;

import dev.shoppulse.api.auth.ApiKeys;
import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.jobs.metering.RequestMeteringJob;
import dev.shoppulse.launcher.Capability;
import dev.shoppulse.launcher.LocalCluster;
import dev.shoppulse.launcher.Traffic;
import dev.shoppulse.sql.RateLimitSql;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate limiting in the local run: the metering job, plus HTTP traffic to the running API from three
 * clients registered in PostgreSQL: a well-behaved {@code pro} storefront, a slow {@code free}
 * partner, and a {@code free} scraper that ignores its limit until the metering job blocks it.
 */
public final class RateLimitLocal implements Capability {
    private static final String JOB = RequestMeteringJob.NAME;
    private static final String BODY =
            "{\"sku\":\"sku-%d\",\"quantity\":%d,\"basePriceCents\":1999}";

    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong limited = new AtomicLong();
    private final AtomicLong blocked = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final Set<String> blockedClients = ConcurrentHashMap.newKeySet();
    // Bounds the requests in flight, so a slow API slows the generator instead of piling up.
    private final Semaphore inFlight = new Semaphore(64);
    private Traffic traffic;
    private Traffic hostile;
    private HttpClient http;

    /** One generated client: its id, tier, key and request rate. */
    private record GenClient(String id, String tier, String key, double perSecond) {}

    @Override
    public String name() {
        return "ratelimit";
    }

    @Override
    public void submitJobs(LocalCluster cluster, ShopPulseConfig config) throws Exception {
        cluster.submit(config, JOB, env -> RequestMeteringJob.build(env, config));
    }

    @Override
    public void startTraffic(ShopPulseConfig config) throws Exception {
        double rate = config.getInt(RateLimitCapability.LOCAL_API_REQUESTS_PER_S);
        GenClient[] clients = {
            new GenClient("storefront", "pro", "local-" + UUID.randomUUID(), rate * 0.4),
            new GenClient("partner", "free", "local-" + UUID.randomUUID(), 0.5),
            // Twenty times its 1/s allowance: the abusive client.
            new GenClient("scraper", "free", "local-" + UUID.randomUUID(), 20),
        };
        register(config, clients);
        http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2))
                        .build();
        URI uri = URI.create("http://127.0.0.1:" + config.getInt(Settings.API_PORT) + "/v1/quotes");
        traffic = Traffic.timerOnly("api-traffic");
        // The API writes api-requests; hostile records go straight to that topic instead.
        hostile =
                config.getDouble(Settings.LOCAL_HOSTILE_RATE) > 0
                        ? Traffic.toKafka(config, "api-hostile")
                        : null;
        String requestsTopic = config.topic(RateLimitCapability.API_REQUESTS);
        double[] credit = new double[clients.length];
        long[] n = {0};
        traffic.every(
                100,
                () -> {
                    long before = n[0];
                    for (int i = 0; i < clients.length; i++) {
                        credit[i] += clients[i].perSecond() / 10;
                        while (credit[i] >= 1) {
                            credit[i] -= 1;
                            send(uri, clients[i], n[0]++);
                        }
                    }
                    if (hostile == null) {
                        return;
                    }
                    hostile.mixHostile(
                            requestsTopic,
                            n[0] - before,
                            clients[0].id(),
                            RateLimitCapability.API_REQUESTS
                                    .codec()
                                    .encode(
                                            new ApiRequestEvent(
                                                    UUID.randomUUID().toString(),
                                                    clients[0].id(),
                                                    clients[0].tier(),
                                                    "POST",
                                                    "/v1/quotes",
                                                    200,
                                                    "allowed",
                                                    1_000,
                                                    Instant.now())));
                });
    }

    private void send(URI uri, GenClient c, long n) {
        if (!inFlight.tryAcquire()) {
            return;
        }
        HttpRequest req =
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("X-Api-Key", c.key())
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        String.format(BODY, n % 100, 1 + n % 7)))
                        .build();
        traffic.counted();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
                .whenComplete(
                        (r, e) -> {
                            inFlight.release();
                            int status = r == null ? 0 : r.statusCode();
                            switch (status) {
                                case 200 -> ok.incrementAndGet();
                                case 429 -> limited.incrementAndGet();
                                case 403 -> {
                                    blocked.incrementAndGet();
                                    blockedClients.add(c.id());
                                }
                                default -> other.incrementAndGet();
                            }
                        });
    }

    /** Registers the clients as production does: keys stored only as SHA-256 in api_clients. */
    private static void register(ShopPulseConfig config, GenClient[] clients) throws Exception {
        try (Connection c = Postgres.connect(config)) {
            try (PreparedStatement ps = c.prepareStatement(RateLimitSql.UPSERT_CLIENT)) {
                for (GenClient g : clients) {
                    ps.setString(1, g.id());
                    ps.setString(2, g.tier());
                    ps.setString(3, ApiKeys.hash(g.key()));
                    ps.setString(4, Scopes.QUOTES);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    @Override
    public Map<String, Object> progress() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sent", traffic.sent());
        m.put("ok", ok.get());
        m.put("429", limited.get());
        m.put("403", blocked.get());
        m.put("blocked", blockedClients);
        return m;
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("api.requests", traffic.sent());
        m.put("api.ok", ok.get());
        m.put("api.limited", limited.get());
        m.put("api.forbidden", blocked.get());
        m.put("api.blocked_clients", blockedClients.size());
        m.put("api.other", other.get());
        m.put("metering.hostile_sent", hostile == null ? 0 : hostile.hostileSent());
        return m;
    }

    @Override
    public void close() {
        if (traffic != null) {
            traffic.close();
        }
        if (hostile != null) {
            hostile.close();
        }
    }
}

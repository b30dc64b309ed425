package dev.shoppulse.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shoppulse.api.comments.CommentsResource;
import dev.shoppulse.api.comments.ReplyPublisher;
import dev.shoppulse.api.health.HealthResource;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.api.orders.OrdersResource;
import dev.shoppulse.api.outbox.OutboxRelay;
import dev.shoppulse.api.quotes.QuotesResource;
import dev.shoppulse.api.ratelimit.RateLimiting;
import dev.shoppulse.api.reports.ReportEventStream;
import dev.shoppulse.api.reports.ReportLimits;
import dev.shoppulse.api.reports.ReportService;
import dev.shoppulse.api.reports.ReportStatusReader;
import dev.shoppulse.api.reports.ReportSweep;
import dev.shoppulse.api.reports.ReportsResource;
import dev.shoppulse.api.search.TopSearchesResource;
import dev.shoppulse.api.users.UsersResource;
import dev.shoppulse.common.capability.Capabilities;
import dev.shoppulse.common.comments.CommentsCapability;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.kafka.Publisher;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.ReportCache;
import dev.shoppulse.common.redis.TopSearchesRedis;
import dev.shoppulse.common.reports.ReportFiles;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.sql.Migrations;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST service: connects to PostgreSQL and Redis, registers one resource per capability and
 * serves them. {@code main} runs it alone; the local runner and tests embed it.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final HikariDataSource db;
    private final Redis redis;
    private final Javalin app;
    // ratelimit: the limiter, API keys and access events; the clock only stamps events.
    private final RateLimiting rateLimiting;
    private final ReplyPublisher replies;
    // outbox: report requests and comment replies, published after their transaction commits.
    private final List<Publisher<?>> outboxPublishers;
    private final OutboxRelay relay;
    private final ReportSweep sweep;
    // reports: the resource over its service (requests go through the outbox), status reader
    // and event stream, which owns the SSE scheduler.
    private final ReportEventStream reportEvents;
    private final ReportsResource reports;
    private final HealthResource health;

    private ApiServer(ShopPulseConfig config, Clock clock) {
        this.db = dataSource(config);
        this.rateLimiting = RateLimiting.create(config, db, clock);
        // Failures of the shared client (health, report cache, rankings) count as redis.failures.
        this.redis =
                Redis.open(
                        RedisSettings.from(config),
                        (operation, cause) -> rateLimiting.metrics().inc("redis.failures"));
        this.health = new HealthResource(config.get(Settings.KAFKA_BOOTSTRAP), redis, db);
        this.outboxPublishers =
                List.of(
                        durable(config, ReportsCapability.REPORT_REQUESTS),
                        durable(config, CommentsCapability.COMMENT_REPLIES));
        this.relay =
                new OutboxRelay(
                        db,
                        outboxPublishers,
                        new OutboxRelay.Options(
                                config.getInt(Settings.OUTBOX_BATCH),
                                config.getDuration(Settings.OUTBOX_POLL),
                                config.getDuration(Settings.OUTBOX_MAX_BACKOFF)),
                        OutboxRelay.Hook.NONE);
        this.replies =
                new ReplyPublisher(config.topic(CommentsCapability.COMMENT_REPLIES), relay::wake);
        ReportFiles reportFiles =
                new ReportFiles(Path.of(config.get(ReportsCapability.REPORTS_STORE_DIR)));
        this.sweep =
                new ReportSweep(
                        db,
                        reportFiles,
                        config.getDuration(ReportsCapability.REPORTS_SWEEP_INTERVAL),
                        config.getInt(ReportsCapability.REPORTS_SWEEP_BATCH));
        ReportLimits reportLimits =
                new ReportLimits(
                        config.getInt(ReportsCapability.REPORTS_MAX_ACTIVE),
                        config.getInt(ReportsCapability.REPORTS_MAX_DAYS),
                        config.getDuration(ReportsCapability.REPORTS_EXPIRY),
                        config.getDuration(ReportsCapability.REPORTS_SSE_POLL),
                        config.getInt(ReportsCapability.REPORTS_MAX_STREAMS));
        ReportStatusReader reportReader = new ReportStatusReader(db, new ReportCache(redis), clock);
        this.reportEvents = new ReportEventStream(reportReader, reportLimits, clock);
        this.reports =
                new ReportsResource(
                        new ReportService(
                                db,
                                reportReader,
                                config.topic(ReportsCapability.REPORT_REQUESTS),
                                reportLimits,
                                relay::wake),
                        reportReader,
                        reportEvents,
                        reportFiles,
                        clock);
        this.app = Api.create(resources(config));
        checkRoutes(Api.routes(app), Capabilities.routes());
    }

    /**
     * Refuses to start unless the server answers exactly the routes the capability registry
     * declares, so README, the registry and the server cannot drift apart.
     */
    static void checkRoutes(List<Api.Route> served, List<String> declared) {
        Set<String> have = new TreeSet<>();
        served.forEach(r -> have.add(r.method() + " " + r.path()));
        Set<String> want = new TreeSet<>(declared);
        if (!have.equals(want)) {
            Set<String> missing = new TreeSet<>(want);
            missing.removeAll(have);
            Set<String> undeclared = new TreeSet<>(have);
            undeclared.removeAll(want);
            throw new IllegalStateException(
                    "API routes differ from the capability registry: declared but not served "
                            + missing
                            + ", served but not declared "
                            + undeclared);
        }
    }

    /**
     * Every capability's endpoints; a new capability adds its resource here and declares its routes
     * in its definition ({@link #checkRoutes} compares the two).
     */
    private List<Resource> resources(ShopPulseConfig config) {
        // The filter first: its before-matched check (caller, limit, scope) runs before any
        // resource's own before-matched handlers.
        return List.of(
                rateLimiting.filter(),
                health,
                new OrdersResource(db),
                new QuotesResource(config.getInt(RateLimitCapability.QUOTES_COST)),
                new UsersResource(
                        db,
                        config.getInt(PincodesCapability.PINCODES_API_MAX_ITEMS),
                        config.getInt(PincodesCapability.PINCODES_COPY_THRESHOLD)),
                new CommentsResource(
                        db,
                        new CommentsResource.Limits(
                                config.getInt(CommentsCapability.COMMENTS_MAX_BODY),
                                config.getInt(CommentsCapability.COMMENTS_MAX_DEPTH),
                                config.getInt(CommentsCapability.COMMENTS_PAGE_DEPTH),
                                config.getInt(CommentsCapability.COMMENTS_FANOUT),
                                config.getInt(CommentsCapability.COMMENTS_PAGE_ROWS)),
                        replies),
                new TopSearchesResource(
                        new TopSearchesRedis(
                                redis, config.getDuration(SearchCapability.SEARCH_RANKING_TTL))),
                reports);
    }

    public static ApiServer start(ShopPulseConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Starts with an application clock of the caller's choosing (tests skew it). */
    public static ApiServer start(ShopPulseConfig config, Clock clock) {
        ApiServer server = new ApiServer(config, clock);
        server.app.start(config.getInt(Settings.API_PORT));
        LOG.info("API listening on port {}", server.port());
        return server;
    }

    public int port() {
        return app.port();
    }

    /** Every route this server answers, with its access rule. */
    public List<Api.Route> routes() {
        return Api.routes(app);
    }

    /** The rate limiting and API keys of this instance (tests count key lookups). */
    public RateLimiting rateLimiting() {
        return rateLimiting;
    }

    /** Runs the API alone: applies the migrations (idempotent), then serves until stopped. */
    public static void main(String[] args) {
        ShopPulseConfig config = ShopPulseConfig.load(args);
        Migrations.apply(config);
        ApiServer server = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "api-stop"));
    }

    private static Publisher<?> durable(
            ShopPulseConfig config, dev.shoppulse.common.topics.Topic<?> topic) {
        return Publisher.builder(topic, Publisher.Profile.DURABLE)
                .bootstrap(config.get(Settings.KAFKA_BOOTSTRAP))
                .topicName(config.topic(topic))
                .build();
    }

    static HikariDataSource dataSource(ShopPulseConfig config) {
        HikariConfig h = new HikariConfig();
        // The pool wraps the one PostgreSQL data source (schema included) every module uses.
        h.setDataSource(Postgres.dataSource(config));
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
        sweep.close();
        relay.close();
        outboxPublishers.forEach(Publisher::close);
        rateLimiting.close();
        health.close();
        reportEvents.close();
        redis.close();
        db.close();
    }
}

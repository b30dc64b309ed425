package dev.shoppulse.api;

import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.common.comments.CommentsCapability;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.PincodeSql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A whole API over a fresh schema, Redis prefix and topics, with one client per caller role: for
 * every scope a client holding all the others ({@code lacks-<scope>}), a client with none, two
 * ordinary clients with every scope but moderation ({@code owner}, {@code other}) and a moderator.
 */
public final class ApiWorld implements AutoCloseable {
    public static final String NO_SCOPES = "key-noscopes-0123456789";
    public static final String OWNER = "key-owner-0123456789";
    public static final String OTHER = "key-other-0123456789";
    public static final String MODERATOR = "key-moderator-0123456789";

    public final ShopPulseConfig config;
    public final ApiServer api;
    public final String replies;
    public final String requests;
    public final String accessEvents;

    public ApiWorld(Path reportStore) throws Exception {
        replies = KafkaBroker.uniqueTopic("replies");
        requests = KafkaBroker.uniqueTopic("report-requests");
        accessEvents = KafkaBroker.uniqueTopic("api-requests");
        KafkaBroker.shared().createTopics(1, replies, requests, accessEvents);
        List<String> clients = new ArrayList<>();
        Set<String> ordinary = new TreeSet<>(Scopes.ALL);
        ordinary.remove(Scopes.COMMENTS_MODERATE);
        for (String scope : new TreeSet<>(Scopes.ALL)) {
            Set<String> rest = new TreeSet<>(Scopes.ALL);
            rest.remove(scope);
            clients.add(
                    "lacks-"
                            + scope.replace(':', '-')
                            + ":t:"
                            + lacking(scope)
                            + ":"
                            + String.join("+", rest));
        }
        clients.add("noscopes:t:" + NO_SCOPES);
        clients.add("owner:t:" + OWNER + ":" + String.join("+", ordinary));
        clients.add("other:t:" + OTHER + ":" + String.join("+", ordinary));
        clients.add("moderator:t:" + MODERATOR + ":" + String.join("+", Scopes.ALL));
        config =
                TestServices.isolated()
                        .with(Settings.API_PORT, 0)
                        .with(
                                Settings.topicSetting(CommentsCapability.COMMENT_REPLIES.name()),
                                replies)
                        .with(
                                Settings.topicSetting(ReportsCapability.REPORT_REQUESTS.name()),
                                requests)
                        .with(
                                Settings.topicSetting(RateLimitCapability.API_REQUESTS.name()),
                                accessEvents)
                        .with(RateLimitCapability.RATELIMIT_TIERS, "t:1000000:100000:100")
                        .with(RateLimitCapability.RATELIMIT_ANONYMOUS_LIMIT, 1_000_000)
                        .with(RateLimitCapability.RATELIMIT_ANONYMOUS_BURST, 100_000)
                        .with(RateLimitCapability.RATELIMIT_CLIENTS, String.join(",", clients))
                        .with(ReportsCapability.REPORTS_MAX_ACTIVE, 100_000)
                        .with(ReportsCapability.REPORTS_SSE_POLL, "20ms")
                        .with(ReportsCapability.REPORTS_STORE_DIR, reportStore.toString());
        Migrations.apply(config);
        try (Connection c = db();
                Statement st = c.createStatement();
                PreparedStatement ps = c.prepareStatement(PincodeSql.INSERT_USERS)) {
            st.execute(
                    "INSERT INTO order_status VALUES ('o-1', 'SHIPPED', 'OrderShipped', 3,"
                            + " '2026-11-27T10:00:00Z')");
            ps.setArray(1, c.createArrayOf("text", new String[] {"asha@example.in"}));
            ps.executeUpdate();
        }
        api = ApiServer.start(config);
    }

    /** The key of the client holding every scope except {@code scope}. */
    public static String lacking(String scope) {
        return "key-lacks-" + scope.replace(':', '-') + "-0123456789";
    }

    public Connection db() throws Exception {
        return TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
    }

    @Override
    public void close() {
        api.close();
        TestServices.cleanUp(config);
    }
}

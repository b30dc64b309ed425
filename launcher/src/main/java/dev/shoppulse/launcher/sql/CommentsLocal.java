package dev.shoppulse.launcher.sql;

import dev.shoppulse.api.ApiServer;
import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.common.comments.CommentsCapability;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.launcher.Capability;
import dev.shoppulse.launcher.LocalCluster;
import dev.shoppulse.launcher.Traffic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Nested comments in the local run: posts, replies, page reads and a few deletes through the REST
 * API, which publishes reply events to {@code comment-replies}. The traffic goes over HTTP to an
 * API instance of this capability's own (any free port, same code and database as the run's API),
 * because {@link Capability} is not told the run's API port.
 */
public final class CommentsLocal implements Capability {
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong replies = new AtomicLong();
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private static final int USERS = 50;
    private final String[] keys = new String[USERS];

    {
        for (int u = 0; u < USERS; u++) {
            keys[u] = "local-comments-" + UUID.randomUUID().toString().replace("-", "");
        }
    }

    /** {postId, commentId, author index} of comments written so far. */
    private final List<long[]> known = new ArrayList<>();

    private Traffic traffic;
    private ShopPulseConfig config;
    private ApiServer api;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public String name() {
        return "comments";
    }

    @Override
    public void submitJobs(LocalCluster cluster, ShopPulseConfig config) {
        // No job: comments are written by the API; reply events go to Kafka from there.
    }

    @Override
    public void startTraffic(ShopPulseConfig config) {
        this.config = config;
        // Comments are written as the calling client, so each simulated user is a client of its
        // own (development keys, comments:write); they live only in this API instance's config.
        StringBuilder clients =
                new StringBuilder(config.get(RateLimitCapability.RATELIMIT_CLIENTS));
        for (int u = 0; u < USERS; u++) {
            clients.append(clients.length() == 0 ? "" : ",")
                    .append("user")
                    .append(u)
                    .append(":pro:")
                    .append(keys[u])
                    .append(':')
                    .append(Scopes.COMMENTS_WRITE);
        }
        api =
                ApiServer.start(
                        config.with(Settings.API_PORT, 0)
                                .with(RateLimitCapability.RATELIMIT_CLIENTS, clients.toString()));
        int port = api.port();
        int perTick = Math.max(1, config.getInt(CommentsCapability.LOCAL_COMMENTS_PER_S) / 10);
        Random random = new Random();
        traffic = Traffic.timerOnly("comment-traffic");
        traffic.every(
                500,
                100,
                () -> {
                    for (int k = 0; k < perTick; k++) {
                        try {
                            step(port, random);
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                });
    }

    private void step(int port, Random random) throws Exception {
        int post = random.nextInt(20);
        String base = "http://127.0.0.1:" + port + "/v1/posts/post-" + post + "/comments";
        double dice = random.nextDouble();
        if (dice < 0.2) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base)).GET().build());
            count(r, 200, pages);
            return;
        }
        if (dice < 0.22 && !known.isEmpty()) {
            long[] victim = known.get(random.nextInt(known.size()));
            String url =
                    "http://127.0.0.1:"
                            + port
                            + "/v1/posts/post-"
                            + victim[0]
                            + "/comments/"
                            + victim[1];
            // Deleted by its author: anyone else would get 403.
            count(
                    send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("X-Api-Key", keys[(int) victim[2]])
                                    .DELETE()
                                    .build()),
                    204,
                    deleted);
            return;
        }
        Long parent = null;
        List<long[]> samePost = known.stream().filter(c -> c[0] == post).toList();
        if (!samePost.isEmpty() && random.nextDouble() < 0.7) {
            parent = samePost.get(random.nextInt(samePost.size()))[1];
        }
        int user = random.nextInt(USERS);
        String body =
                "{\"parentId\":"
                        + parent
                        + ",\"body\":\"comment at "
                        + System.currentTimeMillis()
                        + "\"}";
        HttpResponse<String> r =
                send(
                        HttpRequest.newBuilder(URI.create(base))
                                .header("X-Api-Key", keys[user])
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build());
        if (r.statusCode() == 201) {
            created.incrementAndGet();
            if (parent != null) {
                replies.incrementAndGet();
            }
            String id = r.body().replaceAll("^.*\"id\":(\\d+).*$", "$1");
            if (known.size() < 5000) {
                known.add(new long[] {post, Long.parseLong(id), user});
            }
        } else if (r.statusCode() != 422) {
            errors.incrementAndGet();
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void count(HttpResponse<String> r, int ok, AtomicLong counter) {
        if (r.statusCode() == ok) {
            counter.incrementAndGet();
        } else {
            errors.incrementAndGet();
        }
    }

    @Override
    public Map<String, Object> progress() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created", created.get());
        m.put("replies", replies.get());
        m.put("pages", pages.get());
        m.put("errors", errors.get());
        return m;
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("comments.created", created.get());
        m.put("comments.replies", replies.get());
        m.put("comments.pages_read", pages.get());
        m.put("comments.deleted", deleted.get());
        m.put("comments.errors", errors.get());
        m.put("comments.stored", stored());
        return m;
    }

    private long stored() {
        if (config == null) {
            return 0;
        }
        try (Connection c = LocalDb.connect(config);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM comments")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (traffic != null) {
            traffic.close();
        }
        if (api != null) {
            api.close();
        }
    }
}

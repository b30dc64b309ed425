package dev.shoppulse.bench.notifications;

import dev.shoppulse.bench.Benchmark;
import dev.shoppulse.bench.Result;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.testing.ProviderSimulator;
import dev.shoppulse.jobs.notifications.NotificationJob;
import dev.shoppulse.launcher.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./shoppulse bench notifications}: a burst of profile updates (default 20K from 10K users)
 * through the notification job against the provider simulator at a time-scaled limit (default 200
 * calls per 6 s sliding window: the provider's 200 per minute scaled by 1/10). Measures how fully
 * the provider's budget is used while a backlog exists, and checks no window went over, nobody was
 * lost and nobody was mailed twice. Baseline, same run: the same senders with only Flink's
 * per-subtask in-flight cap (no shared budget), retrying 429s after Retry-After.
 *
 * <p>Flags after {@code --}: {@code --updates N --users N --window 6s --limit N --parallelism N}.
 */
public final class NotificationsBench implements Benchmark {
    @Override
    public Result run(ShopPulseConfig base, String[] args) throws Exception {
        Map<String, String> flags = flags(args);
        int updates = Integer.parseInt(flags.getOrDefault("updates", "20000"));
        int users = Integer.parseInt(flags.getOrDefault("users", "10000"));
        int limit = Integer.parseInt(flags.getOrDefault("limit", "200"));
        Duration window = Duration.parse("PT" + flags.getOrDefault("window", "6s").toUpperCase());
        int parallelism = Integer.parseInt(flags.getOrDefault("parallelism", "4"));
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench-profile-updates-" + id;

        ProviderSimulator provider = ProviderSimulator.start(limit, window);
        ShopPulseConfig config =
                base.with(
                                Settings.topicSetting(
                                        NotificationsCapability.PROFILE_UPDATES.name()),
                                topic)
                        .with(
                                Settings.topicSetting(
                                        NotificationsCapability.PROFILE_UPDATES_DLQ.name()),
                                topic + ".dlq")
                        .with(
                                Settings.topicSetting(
                                        NotificationsCapability.NOTIFICATIONS_DLQ.name()),
                                "bench-notifications-dlq-" + id)
                        .with(Settings.KAFKA_GROUP_PREFIX, "bench-" + id)
                        .with(Settings.KAFKA_TXN_PREFIX, "bench-" + id)
                        .with(
                                Settings.REDIS_KEY_PREFIX,
                                base.get(Settings.REDIS_KEY_PREFIX) + "-nb" + id)
                        .with(NotificationsCapability.NOTIFY_PROVIDER_URL, provider.url())
                        .with(NotificationsCapability.NOTIFY_LIMIT, limit)
                        .with(NotificationsCapability.NOTIFY_WINDOW, window.toMillis() + "ms")
                        .with(NotificationsCapability.NOTIFY_QUIET_WINDOW, window.toMillis() + "ms")
                        .with(NotificationsCapability.NOTIFY_SINK_PARALLELISM, parallelism)
                        .with(NotificationsCapability.NOTIFY_REQUEST_TIMEOUT, "5s")
                        .with(Settings.CHECKPOINT_INTERVAL, "5s");
        createTopics(
                config,
                topic,
                topic + ".dlq",
                config.topic(NotificationsCapability.NOTIFICATIONS_DLQ));

        System.out.printf(
                Locale.ROOT,
                "notifications: %d updates from %d users, provider limit %d per %s sliding window"
                        + " (time-scaled from 60 s), sink parallelism %d%n",
                updates,
                users,
                limit,
                window,
                parallelism);
        long started = System.nanoTime();
        try (LocalCluster cluster = LocalCluster.start(config, 8)) {
            cluster.submit(config, NotificationJob.NAME, env -> NotificationJob.build(env, config));
            produce(config, topic, updates, users);
            long deadline =
                    System.nanoTime()
                            + window.multipliedBy(3L * users / limit + 10).toNanos()
                            + Duration.ofSeconds(60).toNanos();
            long lastPrint = 0;
            while (provider.acceptedCount() < users && System.nanoTime() < deadline) {
                Thread.sleep(200);
                if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                    lastPrint = System.nanoTime();
                    System.out.printf(
                            Locale.ROOT,
                            "  %5.1f s: %d emails accepted, %d calls, violations %d%n",
                            (System.nanoTime() - started) / 1e9,
                            provider.acceptedCount(),
                            provider.calls().size(),
                            provider.violations());
                }
            }
        } finally {
            provider.close();
            RedisSettings redis = RedisSettings.from(config);
            try (Redis r = Redis.open(redis)) {
                r.del(redis.keys().notifyCallLog());
            }
        }

        List<ProviderSimulator.Accepted> accepted = provider.accepted();
        Map<String, Integer> perUser = new HashMap<>();
        accepted.forEach(a -> perUser.merge(a.userId(), 1, Integer::sum));
        long lost = users - perUser.size();
        long duplicates = perUser.values().stream().mapToLong(n -> n - 1).sum();
        Set<String> unexpectedUsers = new HashSet<>(perUser.keySet());
        for (int u = 0; u < users; u++) {
            unexpectedUsers.remove(user(u));
        }
        long[] callTimes =
                provider.calls().stream().mapToLong(ProviderSimulator.Call::atMs).toArray();
        double utilization = utilization(callTimes, window.toMillis(), limit);
        double rateUtilization = rateUtilization(callTimes, window.toMillis(), limit);
        long sendSeconds =
                callTimes.length == 0 ? 0 : (callTimes[callTimes.length - 1] - callTimes[0]) / 1000;
        System.out.printf(
                Locale.ROOT,
                "shoppulse: %d emails to %d users in %d s of sending, %d calls, max %d calls in any"
                        + " %s window, %d windows over the limit, utilization %.4f (whole windows),"
                        + " %.4f (calls after the first burst per budget of the sending time)%n",
                accepted.size(),
                perUser.size(),
                sendSeconds,
                callTimes.length,
                provider.maxCallsInAnyWindow(),
                window,
                provider.violations(),
                utilization,
                rateUtilization);

        BaselineFigures baseline = baseline(limit, window, parallelism, Math.min(users, 2000));
        System.out.printf(
                Locale.ROOT,
                "baseline (per-subtask in-flight cap only, %d senders x 8, 429s retried after"
                        + " Retry-After): %d emails, %d calls, max %d calls in any window, %d"
                        + " windows over the limit, %d answered 429%n",
                parallelism,
                baseline.accepted,
                baseline.calls,
                baseline.maxInWindow,
                baseline.violations,
                baseline.rejected429);

        return new Result()
                .put("utilization", utilization)
                .put("violations", provider.violations())
                .put("lost", lost + unexpectedUsers.size())
                .put("duplicates", duplicates)
                .put("rate_utilization", rateUtilization)
                .put("emails", accepted.size())
                .put("send_s", sendSeconds)
                .put("baseline_violations", baseline.violations);
    }

    /**
     * A stricter reading: the calls after the first window's burst ÷ the budget of the time from
     * the first call to the last (in a perfect run the k-th burst starts exactly k windows after
     * the first, so this is just under 1; every millisecond of slack per window shows here).
     */
    static double rateUtilization(long[] sortedMs, long windowMs, int limit) {
        if (sortedMs.length <= limit) {
            return 0;
        }
        double span = sortedMs[sortedMs.length - 1] - sortedMs[0];
        return (sortedMs.length - limit) / (span / windowMs * limit);
    }

    /**
     * Accepted calls per window ÷ limit while a backlog exists: whole windows laid end to end from
     * the first call, up to the last window that ends before the last call (the backlog is gone
     * only after it).
     */
    static double utilization(long[] sortedMs, long windowMs, int limit) {
        if (sortedMs.length == 0) {
            return 0;
        }
        long first = sortedMs[0];
        long last = sortedMs[sortedMs.length - 1];
        long windows = (last - first) / windowMs;
        if (windows == 0) {
            return (double) sortedMs.length / limit;
        }
        long end = first + windows * windowMs;
        long inFull = 0;
        for (long t : sortedMs) {
            if (t < end) {
                inFull++;
            }
        }
        return (double) inFull / (windows * (double) limit);
    }

    private record BaselineFigures(
            int accepted, int calls, int maxInWindow, int violations, long rejected429) {}

    /** The same burst sent by {@code senders} × 8 concurrent callers with no shared budget. */
    private static BaselineFigures baseline(int limit, Duration window, int senders, int emails)
            throws Exception {
        try (ProviderSimulator provider = ProviderSimulator.start(limit, window)) {
            HttpClient http = HttpClient.newHttpClient();
            ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < emails; i++) {
                todo.add(i);
            }
            ExecutorService pool = Executors.newFixedThreadPool(senders * 8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < senders * 8; t++) {
                done.add(
                        pool.submit(
                                () -> {
                                    Integer i;
                                    while ((i = todo.poll()) != null) {
                                        sendUntilAccepted(http, provider.url(), i);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            List<ProviderSimulator.Call> calls = provider.calls();
            return new BaselineFigures(
                    provider.acceptedCount(),
                    calls.size(),
                    provider.maxCallsInAnyWindow(),
                    provider.violations(),
                    calls.stream().filter(c -> c.status() == 429).count());
        }
    }

    private static void sendUntilAccepted(HttpClient http, String url, int i) throws Exception {
        String body =
                "{\"to\":\""
                        + user(i)
                        + "@example.com\",\"userId\":\""
                        + user(i)
                        + "\",\"fields\":[]}";
        while (true) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("Idempotency-Key", "baseline-" + i)
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 429) {
                return;
            }
            long seconds = Long.parseLong(r.headers().firstValue("Retry-After").orElse("1"));
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) + 5);
        }
    }

    private static String user(int i) {
        return "bench-user-" + i;
    }

    /** Two (or more) back-to-back updates per user, so each user's updates share one window. */
    private static void produce(ShopPulseConfig config, String topic, int updates, int users) {
        Properties p = new Properties();
        p.put("bootstrap.servers", config.get(Settings.KAFKA_BOOTSTRAP));
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("enable.idempotence", "false");
        p.put("max.in.flight.requests.per.connection", "1");
        p.put("acks", "all");
        p.put("linger.ms", "20");
        List<String> fields = List.of("name", "avatar", "bio", "city", "language");
        Instant now = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int n = 0; n < updates; n++) {
                int u = (int) ((long) n * users / updates);
                String user = user(u);
                ProfileUpdated e =
                        new ProfileUpdated(
                                "be-" + n,
                                user,
                                user + "@example.com",
                                List.of(fields.get(n % fields.size())),
                                now);
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                user.getBytes(StandardCharsets.UTF_8),
                                NotificationsCapability.PROFILE_UPDATES.codec().encode(e)));
            }
        }
    }

    private static void createTopics(ShopPulseConfig config, String... names) throws Exception {
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", config.get(Settings.KAFKA_BOOTSTRAP)))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, 4, (short) 1));
            }
            admin.createTopics(topics).all().get();
            // Leaders first, or the first writes bounce with NOT_LEADER_OR_FOLLOWER.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline
                    && !admin.describeTopics(List.of(names)).allTopicNames().get().values().stream()
                            .flatMap(d -> d.partitions().stream())
                            .allMatch(pi -> pi.leader() != null)) {
                Thread.sleep(100);
            }
        }
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --flag value, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }
}

package dev.shoppulse.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shoppulse.common.serde.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP email provider for tests, the local run and the benchmark: it enforces its rate limit
 * over a sliding window (429 + Retry-After), deduplicates by {@code Idempotency-Key}, records every
 * call and every accepted email with its time, and injects faults on demand (429s, 5xx, latency,
 * outage, permanent 4xx for chosen recipients).
 *
 * <p>{@code POST /v1/send} with header {@code Idempotency-Key} and a JSON body {@code {to, userId,
 * fields, priority}}. Times are this JVM's monotonic clock, in milliseconds since start.
 */
public final class ProviderSimulator implements AutoCloseable {

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK: every answer would take ~40 ms, which a real provider would not add.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One call as the provider saw it. */
    public record Call(String key, String to, long atMs, int status) {}

    /** One email the provider accepted (sent) for the first time. */
    public record Accepted(String key, String userId, String to, List<String> fields, long atMs) {}

    private final int limit;
    private final long windowMs;
    private final HttpServer server;
    private final ExecutorService executor;
    private final long started = System.nanoTime();

    private final List<Call> calls = new ArrayList<>();
    private final ArrayDeque<Long> inWindow = new ArrayDeque<>();
    private final Map<String, Accepted> accepted = new LinkedHashMap<>();
    private final Map<String, Long> notBefore = new HashMap<>();
    private final Set<String> permanent = new HashSet<>();
    private int liveViolations;
    private int earlyRetries;
    private int replays;

    private volatile boolean outage;
    private volatile long latencyMs;
    private double rate429;
    private List<String> retryAfterHeaders = List.of("1");
    private int nextHeader;
    private double rate5xx;
    private Random random = new Random(42);

    private ProviderSimulator(int limit, Duration window) throws IOException {
        if (limit < 1 || window.toMillis() < 1) {
            throw new IllegalArgumentException("limit and window must be positive");
        }
        this.limit = limit;
        this.windowMs = window.toMillis();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        this.executor = Executors.newFixedThreadPool(32, r -> daemon(r, "provider-sim"));
        server.setExecutor(executor);
        server.createContext("/v1/send", this::handle);
        server.start();
    }

    /**
     * Starts a simulator on a free port allowing {@code limit} calls per sliding {@code window}.
     */
    public static ProviderSimulator start(int limit, Duration window) {
        try {
            return new ProviderSimulator(limit, window);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the provider simulator", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/send";
    }

    public int limit() {
        return limit;
    }

    public long windowMs() {
        return windowMs;
    }

    // --- faults ---------------------------------------------------------------------------

    /** Answers a share of calls with 429 (and this Retry-After) and another share with 503. */
    public synchronized void failRandomly(
            double rate429, int retryAfterSeconds, double rate5xx, long seed) {
        this.rate429 = rate429;
        this.retryAfterHeaders = List.of(String.valueOf(retryAfterSeconds));
        this.rate5xx = rate5xx;
        this.random = new Random(seed);
    }

    /**
     * Answers a share of calls with 429 whose {@code Retry-After} headers are taken in turn from
     * {@code headers}, verbatim: hostile values (2^63, negative, garbage, far dates) included. Only
     * plain small delta-seconds count for {@link #earlyRetries()}.
     */
    public synchronized void throttleWith(double rate429, List<String> headers, long seed) {
        if (headers.isEmpty()) {
            throw new IllegalArgumentException("at least one Retry-After header");
        }
        this.rate429 = rate429;
        this.retryAfterHeaders = List.copyOf(headers);
        this.nextHeader = 0;
        this.rate5xx = 0;
        this.random = new Random(seed);
    }

    /** While on, every call is answered 503 at once. */
    public void outage(boolean on) {
        this.outage = on;
    }

    /** Every call waits this long before it is answered. */
    public void latency(Duration latency) {
        this.latencyMs = latency.toMillis();
    }

    /** Calls for this recipient are answered 422 (a permanent error), never accepted. */
    public synchronized void rejectPermanently(String email) {
        permanent.add(email);
    }

    // --- reports --------------------------------------------------------------------------

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Accepted> accepted() {
        return List.copyOf(accepted.values());
    }

    public synchronized int acceptedCount() {
        return accepted.size();
    }

    public synchronized Set<String> acceptedKeys() {
        return Set.copyOf(accepted.keySet());
    }

    /** Calls per Idempotency-Key: more than one means a retry or a replay. */
    public synchronized Map<String, Integer> callsPerKey() {
        Map<String, Integer> m = new HashMap<>();
        calls.forEach(c -> m.merge(c.key() == null ? "" : c.key(), 1, Integer::sum));
        return m;
    }

    /** Calls that found the sliding window already full when they arrived (answered 429). */
    public synchronized int liveViolations() {
        return liveViolations;
    }

    /** Windows over the limit in the whole call log: calls that were the limit+1-th in theirs. */
    public synchronized int violations() {
        return windowsOverLimit(calls.stream().mapToLong(Call::atMs).toArray(), windowMs, limit);
    }

    /** The most calls any sliding window held. */
    public synchronized int maxCallsInAnyWindow() {
        return maxInWindow(calls.stream().mapToLong(Call::atMs).toArray(), windowMs);
    }

    /** Calls repeated under a key before the Retry-After of that key's last 429 had passed. */
    public synchronized int earlyRetries() {
        return earlyRetries;
    }

    /** Calls answered from the idempotency store (a key that was already accepted). */
    public synchronized int replays() {
        return replays;
    }

    /** Number of calls whose window (atMs - window, atMs] holds more than {@code limit} calls. */
    public static int windowsOverLimit(long[] sortedMs, long windowMs, int limit) {
        int over = 0;
        int from = 0;
        for (int i = 0; i < sortedMs.length; i++) {
            while (sortedMs[from] <= sortedMs[i] - windowMs) {
                from++;
            }
            if (i - from + 1 > limit) {
                over++;
            }
        }
        return over;
    }

    /** The most entries any window (t - window, t] holds. */
    public static int maxInWindow(long[] sortedMs, long windowMs) {
        int max = 0;
        int from = 0;
        for (int i = 0; i < sortedMs.length; i++) {
            while (sortedMs[from] <= sortedMs[i] - windowMs) {
                from++;
            }
            max = Math.max(max, i - from + 1);
        }
        return max;
    }

    // --- the endpoint ---------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                respond(ex, 405, "{\"error\":\"POST only\"}", null);
                return;
            }
            long delay = latencyMs;
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            JsonNode json = parse(body);
            String to = json == null ? null : json.path("to").asText(null);
            Answer a = decide(key, to, json);
            respond(ex, a.status, a.body, a.retryAfter);
        }
    }

    private record Answer(int status, String body, String retryAfter) {}

    private synchronized Answer decide(String key, String to, JsonNode json) {
        long now = nowMs();
        inWindow.addLast(now);
        while (inWindow.peekFirst() <= now - windowMs) {
            inWindow.removeFirst();
        }
        Answer a = decideLocked(now, key, to, json);
        calls.add(new Call(key, to, now, a.status));
        if (a.status == 429 && a.retryAfter != null && a.retryAfter.matches("[0-9]{1,9}")) {
            notBefore.put(key, now + Long.parseLong(a.retryAfter) * 1000L);
        }
        return a;
    }

    private Answer decideLocked(long now, String key, String to, JsonNode json) {
        if (outage) {
            return new Answer(503, "{\"error\":\"outage\"}", null);
        }
        if (inWindow.size() > limit) {
            liveViolations++;
            long wait = inWindow.peekFirst() + windowMs - now;
            return new Answer(
                    429,
                    "{\"error\":\"rate limit exceeded\"}",
                    String.valueOf(Math.max(1, TimeUnit.MILLISECONDS.toSeconds(wait + 999))));
        }
        if (key == null || key.isBlank() || to == null || json == null) {
            return new Answer(
                    400, "{\"error\":\"Idempotency-Key and a JSON body are required\"}", null);
        }
        Long earliest = notBefore.get(key);
        if (earliest != null && now < earliest) {
            earlyRetries++;
        }
        if (accepted.containsKey(key)) {
            replays++;
            return new Answer(200, "{\"id\":\"" + key + "\",\"replayed\":true}", null);
        }
        if (permanent.contains(to)) {
            return new Answer(422, "{\"error\":\"recipient rejected: " + to + "\"}", null);
        }
        double r = random.nextDouble();
        if (r < rate429) {
            String header = retryAfterHeaders.get(nextHeader++ % retryAfterHeaders.size());
            return new Answer(429, "{\"error\":\"slow down\"}", header);
        }
        if (r < rate429 + rate5xx) {
            return new Answer(503, "{\"error\":\"try again\"}", null);
        }
        List<String> fields = new ArrayList<>();
        json.path("fields").forEach(f -> fields.add(f.asText()));
        accepted.put(key, new Accepted(key, json.path("userId").asText(null), to, fields, now));
        return new Answer(200, "{\"id\":\"" + key + "\"}", null);
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void respond(HttpExchange ex, int status, String body, String retryAfter)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            ex.getResponseHeaders().set("Retry-After", retryAfter);
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private long nowMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

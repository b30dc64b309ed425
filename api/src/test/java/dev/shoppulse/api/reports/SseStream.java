package dev.shoppulse.api.reports;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A minimal Server-Sent Events reader for the tests: one connection, events in a queue. */
final class SseStream implements AutoCloseable {
    /** One event as the server framed it. */
    record Event(String id, String name, String data) {}

    static final Event END = new Event(null, "<end>", null);

    final int status;
    private final InputStream body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    private SseStream(HttpResponse<InputStream> r) {
        this.status = r.statusCode();
        this.body = r.body();
        Thread t = new Thread(this::read, "sse-reader");
        t.setDaemon(true);
        t.start();
    }

    static SseStream open(int port, String path, String apiKey, String lastEventId)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Accept", "text/event-stream")
                        .header("X-Api-Key", apiKey)
                        .GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return new SseStream(
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build()
                        .send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    private void read() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        } catch (Exception e) {
            // closed by the test
        } finally {
            events.add(END);
        }
    }

    /** The next event, or null after the timeout. */
    Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
        body.close();
    }
}

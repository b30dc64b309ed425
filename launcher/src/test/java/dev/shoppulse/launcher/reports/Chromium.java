package dev.shoppulse.launcher.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoppulse.common.serde.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Debian Chromium driven over the DevTools protocol with the JDK's WebSocket client: just
 * enough to open a page, evaluate JavaScript in it and let it download files.
 */
final class Chromium implements AutoCloseable {
    static final String BINARY = "/usr/bin/chromium";
    private static final Pattern LISTENING =
            Pattern.compile("DevTools listening on (ws://[^/]+)/devtools/browser/\\S+");

    private final Process process;
    private final String wsBase;
    private final Endpoint browser;
    private Path downloads;

    private Chromium(Process process, String wsBase, String browserUrl) throws Exception {
        this.process = process;
        this.wsBase = wsBase;
        this.browser = new Endpoint(browserUrl);
    }

    static Chromium start(Path userDataDir) throws Exception {
        Process p =
                new ProcessBuilder(
                                BINARY,
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--remote-debugging-port=0",
                                "--user-data-dir=" + userDataDir,
                                "about:blank")
                        .redirectErrorStream(true)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                String url = line.substring(line.indexOf("ws://")).trim();
                Thread drain =
                        new Thread(
                                () -> {
                                    try {
                                        while (out.readLine() != null) {
                                            // keep the pipe from filling up
                                        }
                                    } catch (Exception e) {
                                        // process ended
                                    }
                                },
                                "chromium-output");
                drain.setDaemon(true);
                drain.start();
                return new Chromium(p, m.group(1), url);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("chromium did not start its DevTools endpoint");
    }

    /** Lets pages download into {@code dir} without asking. */
    void allowDownloads(Path dir) throws Exception {
        downloads = dir;
        browser.call(
                "Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", dir.toString()));
    }

    /** Opens a new tab at {@code url}. */
    Endpoint open(String url) throws Exception {
        String target =
                browser.call("Target.createTarget", Map.of("url", url)).get("targetId").asText();
        return new Endpoint(wsBase + "/devtools/page/" + target);
    }

    @Override
    public void close() throws Exception {
        try {
            browser.close();
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** One DevTools WebSocket: numbered calls, answers matched by id. */
    static final class Endpoint implements AutoCloseable {
        private final WebSocket ws;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

        Endpoint(String url) throws Exception {
            this.ws =
                    HttpClient.newHttpClient()
                            .newWebSocketBuilder()
                            .buildAsync(URI.create(url), new Listener())
                            .get(10, TimeUnit.SECONDS);
        }

        JsonNode call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            ObjectNode msg = Json.MAPPER.createObjectNode();
            msg.put("id", id);
            msg.put("method", method);
            msg.set("params", Json.MAPPER.valueToTree(params));
            ws.sendText(Json.MAPPER.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
            JsonNode reply = answer.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + ": " + reply.get("error"));
            }
            return reply.get("result");
        }

        /** Evaluates an expression in the page (awaiting promises); its value as JSON. */
        JsonNode eval(String expression) throws Exception {
            JsonNode r =
                    call(
                            "Runtime.evaluate",
                            Map.of(
                                    "expression", expression,
                                    "returnByValue", true,
                                    "awaitPromise", true,
                                    // as if the user clicked: downloads need a user gesture
                                    "userGesture", true));
            if (r.has("exceptionDetails")) {
                throw new IllegalStateException(
                        "page threw: " + r.get("exceptionDetails").toString());
            }
            return r.path("result").path("value");
        }

        @Override
        public void close() {
            ws.abort();
        }

        private final class Listener implements WebSocket.Listener {
            private final StringBuilder buf = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                buf.append(data);
                if (last) {
                    try {
                        JsonNode n = Json.MAPPER.readTree(buf.toString());
                        if (n.has("id")) {
                            CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
                            if (f != null) {
                                f.complete(n);
                            }
                        }
                    } catch (Exception e) {
                        // events we do not read may be anything; ignore what does not parse
                    } finally {
                        buf.setLength(0);
                    }
                }
                w.request(1);
                return null;
            }
        }
    }
}

package dev.shoppulse.api.comments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.comments.CommentsCapability;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.CommentReply;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.Migrations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The comments endpoints against the real PostgreSQL and Kafka. */
@Timeout(90)
class CommentsResourceITCase {
    private final HttpClient http = HttpClient.newHttpClient();
    private ShopPulseConfig config;
    private ApiServer api;
    private String replies;

    @BeforeEach
    void setUp() {
        replies = KafkaBroker.uniqueTopic("replies");
        KafkaBroker.shared().createTopics(1, replies);
        config =
                TestServices.isolated()
                        .with(Settings.API_PORT, 0)
                        .with(
                                Settings.topicSetting(CommentsCapability.COMMENT_REPLIES.name()),
                                replies)
                        .with(CommentsCapability.COMMENTS_MAX_DEPTH, 4)
                        .with(CommentsCapability.COMMENTS_PAGE_DEPTH, 2)
                        .with(CommentsCapability.COMMENTS_FANOUT, 2)
                        .with(CommentsCapability.COMMENTS_MAX_BODY, 50)
                        .with(
                                RateLimitCapability.RATELIMIT_CLIENTS,
                                client("asha", "comments:write")
                                        + ","
                                        + client("ravi", "comments:write")
                                        + ","
                                        + client("meena", "comments:write")
                                        + ","
                                        + client("x", "comments:write")
                                        + ","
                                        + client("mod", "comments:write+comments:moderate"));
        Migrations.apply(config);
        api = ApiServer.start(config);
    }

    @AfterEach
    void tearDown() {
        if (api != null) {
            api.close();
        }
        TestServices.cleanUp(config);
    }

    private static String key(String client) {
        return "key-" + client + "-0123456789";
    }

    private static String client(String id, String scopes) {
        return id + ":pro:" + key(id) + ":" + scopes;
    }

    private HttpResponse<String> delete(String path, String as) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).DELETE();
        if (as != null) {
            b.header("X-Api-Key", key(as));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    private HttpResponse<String> post(String post, String body) throws Exception {
        return post(post, body, "x");
    }

    private HttpResponse<String> post(String post, String body, String as) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri("/v1/posts/" + post + "/comments"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (as != null) {
            b.header("X-Api-Key", key(as));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long comment(String post, Long parent, String author, String text) throws Exception {
        HttpResponse<String> r =
                post(post, "{\"parentId\":" + parent + ",\"body\":\"" + text + "\"}", author);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body()).get("id").asLong();
    }

    private JsonNode get(String pathAndQuery) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(uri(pathAndQuery)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void threadsNestWithStubsPaginateByKeysetAndSoftDeleteKeepsTheShape() throws Exception {
        long a = comment("p1", null, "asha", "first");
        long a1 = comment("p1", a, "ravi", "reply 1");
        long a2 = comment("p1", a, "meena", "reply 2");
        comment("p1", a, "ravi", "reply 3"); // beyond fan-out 2
        long a11 = comment("p1", a1, "asha", "deeper");
        comment("p1", a11, "ravi", "deepest"); // beyond depth 2
        long b = comment("p1", null, "ravi", "second");
        long c = comment("p1", null, "meena", "third");
        comment("p2", null, "meena", "other post");

        JsonNode page1 = get("/v1/posts/p1/comments?limit=2");
        assertThat(ids(page1.get("comments"))).containsExactly(c, b);
        String cursor = page1.get("nextCursor").asText();

        // A new top-level comment between the pages does not shift page two.
        long d = comment("p1", null, "asha", "late");
        JsonNode page2 = get("/v1/posts/p1/comments?limit=2&cursor=" + cursor);
        assertThat(ids(page2.get("comments"))).containsExactly(a);
        assertThat(page2.get("nextCursor").isNull()).isTrue();
        JsonNode thread = page2.get("comments").get(0);
        assertThat(ids(thread.get("replies"))).containsExactly(a1, a2);
        assertThat(thread.get("moreReplies").asInt()).isEqualTo(1);
        JsonNode deep = thread.get("replies").get(0).get("replies").get(0);
        assertThat(deep.get("id").asLong()).isEqualTo(a11);
        assertThat(deep.get("replies").size()).isZero();
        assertThat(deep.get("moreReplies").asInt()).isEqualTo(1);
        assertThat(ids(get("/v1/posts/p1/comments?limit=1").get("comments"))).containsExactly(d);

        // Soft delete: the comment keeps its place and replies, loses author and body.
        // Only its author (ravi) or a moderator may delete it; anonymous callers need a key.
        assertThat(delete("/v1/posts/p1/comments/" + a1, null).statusCode()).isEqualTo(401);
        HttpResponse<String> notAuthor = delete("/v1/posts/p1/comments/" + a1, "meena");
        assertThat(notAuthor.statusCode()).isEqualTo(403);
        assertThat(notAuthor.body()).contains("not-author");
        assertThat(delete("/v1/posts/p1/comments/" + a1, "ravi").statusCode()).isEqualTo(204);
        assertThat(delete("/v1/posts/p1/comments/" + c, "mod").statusCode()).isEqualTo(204);
        JsonNode after =
                get("/v1/posts/p1/comments?limit=2&cursor=" + cursor).get("comments").get(0);
        JsonNode gone = after.get("replies").get(0);
        assertThat(gone.get("deleted").asBoolean()).isTrue();
        assertThat(gone.has("body")).isFalse();
        assertThat(ids(gone.get("replies"))).containsExactly(a11);
        assertThat(delete("/v1/posts/p2/comments/" + a1, "ravi").statusCode()).isEqualTo(404);

        // Each reply was published for its parent's author.
        List<ConsumerRecord<byte[], byte[]>> events =
                KafkaBroker.shared()
                        .readCommitted(replies, l -> l.size() >= 5, Duration.ofSeconds(30));
        assertThat(events).hasSize(5);
        CommentReply first =
                CommentsCapability.COMMENT_REPLIES.codec().decode(events.get(0).value());
        assertThat(first.parentId()).isEqualTo(a);
        assertThat(first.parentAuthor()).isEqualTo("asha");
        assertThat(first.author()).isEqualTo("ravi");
        assertThat(KafkaBroker.text(events.get(0).key())).isEqualTo("asha");
    }

    @Test
    void theAuthorIsTheCaller() throws Exception {
        HttpResponse<String> anonymous = post("p1", "{\"body\":\"hi\"}", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> impostor = post("p1", "{\"author\":\"asha\",\"body\":\"hi\"}", "ravi");
        assertThat(impostor.statusCode()).isEqualTo(400);
        assertThat(impostor.body()).contains("author is the calling client");
        long id = comment("p1", null, "ravi", "mine");
        JsonNode page = get("/v1/posts/p1/comments");
        assertThat(page.get("comments").get(0).get("id").asLong()).isEqualTo(id);
        assertThat(page.get("comments").get(0).get("author").asText()).isEqualTo("ravi");
    }

    @Test
    void invalidRequestsAreProblems() throws Exception {
        long a = comment("p1", null, "asha", "root");
        long deep = a;
        for (int k = 0; k < 4; k++) {
            deep = comment("p1", deep, "ravi", "level " + (k + 1));
        }
        assertThat(
                        post(
                                        "p1",
                                        "{\"parentId\":"
                                                + deep
                                                + ",\"author\":\"x\",\"body\":\"too deep\"}")
                                .statusCode())
                .isEqualTo(422);
        assertThat(
                        post(
                                        "p2",
                                        "{\"parentId\":"
                                                + a
                                                + ",\"author\":\"x\",\"body\":\"other post\"}")
                                .statusCode())
                .isEqualTo(422);
        String[] bad = {
            "{\"author\":\"x\",\"body\":\"" + "y".repeat(51) + "\"}",
            "{\"author\":\"x\",\"body\":\"  \"}",
            "{\"author\":\"x y\",\"body\":\"b\"}",
            "{\"author\":\"x\",\"body\":\"b\",\"parentId\":\"1\"}",
            "{\"author\":\"x\",\"body\":\"b\",\"parentId\":-1}",
            "{\"body\":\"nul \\u0000 inside\"}",
            "{\"body\":\"lone \\ud800 surrogate\"}",
            "{\"body\":\"bell \\u0007\"}",
            "[1]",
            "{\"author\":"
        };
        for (String b : bad) {
            HttpResponse<String> r = post("p1", b);
            assertThat(r.statusCode()).as(b).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        for (String q : new String[] {"limit=0", "limit=101", "depth=3", "cursor=zzz"}) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(uri("/v1/posts/p1/comments?" + q)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(q).isEqualTo(400);
        }
    }

    private static List<Long> ids(JsonNode nodes) {
        List<Long> out = new ArrayList<>();
        nodes.forEach(n -> out.add(n.get("id").asLong()));
        return out;
    }
}

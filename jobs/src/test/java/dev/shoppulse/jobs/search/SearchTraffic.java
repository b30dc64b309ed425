package dev.shoppulse.jobs.search;

import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.redis.TopSearchesRedis;
import dev.shoppulse.common.serde.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Searches a top-searches ITCase sends, hours counted from {@code h0}, and the oracle they imply:
 * each hour's top 10 computed here from the searches that count, independently of the job.
 */
final class SearchTraffic {
    static final long HOUR = 3_600_000;

    private final String topic;
    private final Instant h0;
    private final int products;
    private final Random random;
    private final Map<Long, Map<String, Long>> counted = new HashMap<>();
    private int eventSeq;

    SearchTraffic(String topic, Instant h0, int products, long seed) {
        this.topic = topic;
        this.h0 = h0;
        this.products = products;
        this.random = new Random(seed);
    }

    /**
     * {@code count} searches spread over minutes [fromMin, toMin) of hour {@code h}, skewed towards
     * the first products, up to 20 s out of order; one in 20 names no product when {@code
     * withUnresolved} (the job must skip it).
     */
    void hour(
            KafkaProducer<byte[], byte[]> p,
            int h,
            int fromMin,
            int toMin,
            int count,
            boolean withUnresolved) {
        long from = h * HOUR + fromMin * 60_000L;
        long span = (toMin - fromMin) * 60_000L;
        for (int i = 0; i < count; i++) {
            long offset = from + span * i / count;
            long jitter = random.nextInt(20_000);
            long ts = Math.max(from, Math.min(from + span - 1, offset - jitter));
            int product = (int) Math.floor(Math.pow(random.nextDouble(), 2.5) * products);
            boolean unresolved = withUnresolved && random.nextInt(20) == 0;
            search(p, i % 2, ts, unresolved ? null : "p" + product, true);
        }
    }

    /**
     * One search at {@code offsetMs} after {@code h0} on {@code partition}; the oracle counts it
     * when {@code counts} (a search the job must drop as too late does not).
     */
    void search(
            KafkaProducer<byte[], byte[]> p,
            int partition,
            long offsetMs,
            String product,
            boolean counts) {
        SearchEvent e =
                new SearchEvent(
                        "e" + (eventSeq++),
                        partition == 0 ? "u-a" : null,
                        "s-" + partition,
                        "query " + product,
                        product,
                        h0.plusMillis(offsetMs));
        if (counts && product != null) {
            counted.computeIfAbsent(offsetMs / HOUR, k -> new HashMap<>())
                    .merge(product, 1L, Long::sum);
        }
        send(p, partition, e.key(), Json.write(e));
    }

    /** A raw record on the searches topic (e.g. a malformed one). */
    void send(KafkaProducer<byte[], byte[]> p, int partition, String key, byte[] value) {
        p.send(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), value));
    }

    /** The start of hour {@code h}. */
    Instant hourStart(int h) {
        return h0.plusMillis(h * HOUR);
    }

    /** The top 10 of hour {@code h} as "rank:product=count", ties by product id. */
    List<String> top10(int h) {
        List<Map.Entry<String, Long>> all =
                new ArrayList<>(counted.getOrDefault((long) h, Map.of()).entrySet());
        all.sort(TopN.ORDER);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(10, all.size()); i++) {
            out.add((i + 1) + ":" + all.get(i).getKey() + "=" + all.get(i).getValue());
        }
        return out;
    }

    /** A stored ranking in the oracle's form; an hour not in Redis is an empty list. */
    static List<String> entries(Optional<TopSearchesRedis.Stored> stored) {
        return stored.map(
                        s ->
                                s.ranking().entries().stream()
                                        .map(e -> e.rank() + ":" + e.productId() + "=" + e.count())
                                        .toList())
                .orElse(List.of());
    }
}

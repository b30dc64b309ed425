package dev.shoppulse.bench.orders;

import dev.shoppulse.bench.Benchmark;
import dev.shoppulse.bench.Flags;
import dev.shoppulse.bench.Result;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.kafka.Publisher;
import dev.shoppulse.common.topics.Topics;
import dev.shoppulse.common.traffic.OrderStreamGenerator;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.RawRecordDeserializer;
import dev.shoppulse.jobs.orders.OrderSequencingJob;
import dev.shoppulse.launcher.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * {@code ./shoppulse bench orders}: Kafka → sequencing → Kafka exactly-once with 1 M events over
 * 100 K orders (10% reordered, 1% duplicated) at parallelism 2, against (a) a plain consume→produce
 * copy loop without transactions and (b) the same logic in Kafka Streams with exactly_once_v2, all
 * on the same broker with the same commit/checkpoint interval.
 *
 * <p>Flags after {@code --}: {@code events=N} (default 1000000), {@code orders=N} (100000), {@code
 * interval=DURATION} (checkpoint/commit interval, default 2s).
 */
public final class OrdersBenchmark implements Benchmark {
    private static final int PARTITIONS = 4;
    private static final int PARALLELISM = 2;

    @Override
    public String name() {
        return "orders";
    }

    @Override
    public String description() {
        return "order sequencing (Flink, exactly-once) vs copy loop vs Kafka Streams";
    }

    @Override
    public Result run(ShopPulseConfig base, String[] args) throws Exception {
        Map<String, String> flags = Flags.parse(args);
        int events = Integer.parseInt(flags.getOrDefault("events", "1000000"));
        int orders = Integer.parseInt(flags.getOrDefault("orders", "100000"));
        Duration interval =
                dev.shoppulse.common.config.Durations.parse(flags.getOrDefault("interval", "2s"));
        String bootstrap = base.get(Settings.KAFKA_BOOTSTRAP);
        String run = UUID.randomUUID().toString().substring(0, 6);
        String in = "bench-orders-in-" + run;
        createTopics(bootstrap, in);

        long distinct = produceInput(bootstrap, in, events, orders);
        System.out.printf(
                "input: %d records (%d distinct events) over %d orders in %s%n",
                countRecords(bootstrap, in), distinct, orders, in);

        // (a) the ceiling: a copy loop without transactions
        String copyOut = "bench-orders-copy-" + run;
        createTopics(bootstrap, copyOut);
        double copyRate = copyLoop(bootstrap, in, copyOut, run);
        System.out.printf("copy loop          : %,.0f events/s%n", copyRate);

        // (b) Kafka Streams, exactly_once_v2, same logic
        String ksOut = "bench-orders-ks-" + run;
        createTopics(bootstrap, ksOut, ksOut + "-dlq");
        double ksRate = kafkaStreams(bootstrap, in, ksOut, run, interval, distinct);
        System.out.printf("kafka streams (eos): %,.0f events/s%n", ksRate);

        // ours: the production topology, Kafka sink exactly-once
        String ours = "bench-orders-flink-" + run;
        createTopics(bootstrap, ours, ours + "-alerts", ours + "-dlq");
        double flinkRate = flink(base, in, ours, run, interval, distinct);
        System.out.printf("shoppulse (flink)  : %,.0f events/s%n", flinkRate);

        return new Result(name())
                .put("events_per_s", Math.round(flinkRate))
                .put("vs_kstreams", flinkRate / ksRate)
                .put("vs_copy", flinkRate / copyRate)
                .put("kstreams_events_per_s", Math.round(ksRate))
                .put("copy_events_per_s", Math.round(copyRate))
                .put("input_records", events)
                .put("interval_ms", interval.toMillis());
    }

    private static long produceInput(String bootstrap, String topic, int events, int orders)
            throws Exception {
        int perOrder = Math.max(4, events / orders);
        OrderStreamGenerator gen =
                new OrderStreamGenerator(2026, "b-", 0.10, 0.01, 0.0).withEventsPerOrder(perOrder);
        long distinct = 0;
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
            for (int done = 0; done < orders; done += 1000) {
                for (OrderEvent e : gen.nextBatch(Math.min(1000, orders - done), Instant.EPOCH)) {
                    p.send(
                            new ProducerRecord<>(
                                    topic,
                                    e.orderId().getBytes(StandardCharsets.UTF_8),
                                    Topics.ORDERS.codec().encode(e)));
                }
            }
            p.flush();
            distinct = (long) orders * perOrder;
        }
        return distinct;
    }

    private static double copyLoop(String bootstrap, String in, String out, String run)
            throws Exception {
        long total = countRecords(bootstrap, in);
        AtomicLong copied = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
            for (int t = 0; t < PARALLELISM; t++) {
                Thread th =
                        new Thread(
                                () -> {
                                    try (KafkaConsumer<byte[], byte[]> c =
                                            consumer(
                                                    bootstrap, "copy-" + run, "read_uncommitted")) {
                                        c.subscribe(List.of(in));
                                        while (copied.get() < total) {
                                            ConsumerRecords<byte[], byte[]> rs =
                                                    c.poll(Duration.ofMillis(100));
                                            for (ConsumerRecord<byte[], byte[]> r : rs) {
                                                p.send(
                                                        new ProducerRecord<>(
                                                                out, r.key(), r.value()));
                                            }
                                            copied.addAndGet(rs.count());
                                        }
                                    }
                                });
                th.start();
                threads.add(th);
            }
            for (Thread th : threads) {
                th.join();
            }
            p.flush();
        }
        return total / seconds(start);
    }

    private static double kafkaStreams(
            String bootstrap, String in, String out, String run, Duration interval, long distinct)
            throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-ks-" + run);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, interval.toMillis());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, PARALLELISM);
        p.put(StreamsConfig.STATE_DIR_CONFIG, "/tmp/shoppulse-bench-ks-" + run);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        long start = System.nanoTime();
        try (KafkaStreams streams =
                new KafkaStreams(KafkaStreamsSequencer.topology(in, out, out + "-dlq"), p)) {
            streams.start();
            awaitCommitted(bootstrap, out, distinct, Duration.ofMinutes(20));
            double rate = distinct / seconds(start);
            streams.close(Duration.ofSeconds(30));
            return rate;
        }
    }

    private static double flink(
            ShopPulseConfig base,
            String in,
            String out,
            String run,
            Duration interval,
            long distinct)
            throws Exception {
        ShopPulseConfig config =
                base.with(Settings.topicSetting(Topics.ORDERS.name()), in)
                        .with(Settings.topicSetting(Topics.ORDERS_SEQUENCED.name()), out)
                        .with(Settings.topicSetting(Topics.ORDERS_ALERTS.name()), out + "-alerts")
                        .with(Settings.topicSetting(Topics.ORDERS_DLQ.name()), out + "-dlq")
                        .with(Settings.KAFKA_TXN_PREFIX, "bench-" + run)
                        .with(
                                Settings.CHECKPOINT_INTERVAL,
                                dev.shoppulse.common.config.Durations.format(interval))
                        .with(Settings.CHECKPOINT_DIR, "file:///tmp/shoppulse-bench-cp-" + run)
                        .with(Settings.FLINK_PARALLELISM, PARALLELISM)
                        .with(Settings.ORDERS_GAP_TIMEOUT, "30m");
        KafkaSource<dev.shoppulse.jobs.flink.RawRecord> source =
                KafkaSource.<dev.shoppulse.jobs.flink.RawRecord>builder()
                        .setBootstrapServers(config.get(Settings.KAFKA_BOOTSTRAP))
                        .setTopics(in)
                        .setGroupId("bench-flink-" + run)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setDeserializer(new RawRecordDeserializer())
                        .build();
        try (LocalCluster cluster = LocalCluster.start(config, 4)) {
            long start = System.nanoTime();
            var job =
                    cluster.submitJob(
                            config,
                            "bench-order-sequencing",
                            env ->
                                    OrderSequencingJob.topology(
                                            env.fromSource(
                                                    source,
                                                    WatermarkStrategy.noWatermarks(),
                                                    "orders-source"),
                                            config,
                                            new OrderSequencingJob.Sinks(
                                                    JobSetup.exactlyOnceSink(
                                                            config, OrderSequencingJob.NAME),
                                                    JobSetup.exactlyOnceSink(
                                                            config,
                                                            OrderSequencingJob.NAME + "-side"),
                                                    null,
                                                    new DiscardingSink<>())));
            // A bounded source: the job ends after its final checkpoint committed the output.
            job.getJobExecutionResult().get(20, TimeUnit.MINUTES);
            double rate = distinct / seconds(start);
            long committed = countCommitted(bootstrap(config), out);
            if (committed != distinct) {
                throw new IllegalStateException(
                        "flink output " + committed + " != expected " + distinct);
            }
            return rate;
        }
    }

    private static String bootstrap(ShopPulseConfig c) {
        return c.get(Settings.KAFKA_BOOTSTRAP);
    }

    private static void awaitCommitted(
            String bootstrap, String topic, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, null, "read_committed")) {
            assignFromStart(c, topic);
            long count = 0;
            while (count < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "only " + count + " of " + expected + " in " + topic);
                }
                count += c.poll(Duration.ofMillis(200)).count();
            }
        }
    }

    private static long countCommitted(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, null, "read_committed")) {
            List<TopicPartition> parts = assignFromStart(c, topic);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long count = 0;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                count += c.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static List<TopicPartition> assignFromStart(KafkaConsumer<?, ?> c, String topic) {
        List<TopicPartition> parts =
                c.partitionsFor(topic).stream()
                        .map(i -> new TopicPartition(topic, i.partition()))
                        .toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return parts;
    }

    private static long countRecords(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, null, "read_uncommitted")) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
            return parts.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
        }
    }

    private static void createTopics(String bootstrap, String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, PARTITIONS, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        // Raw bytes in bulk: the common durable profile's settings, with batching for throughput.
        Properties p =
                Publisher.properties(bootstrap, Publisher.Profile.DURABLE, Duration.ofSeconds(60));
        p.put("linger.ms", "5");
        p.put("batch.size", "131072");
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(
            String bootstrap, String group, String isolation) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", isolation);
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        if (group != null) {
            p.put("group.id", group);
        }
        return new KafkaConsumer<>(p);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

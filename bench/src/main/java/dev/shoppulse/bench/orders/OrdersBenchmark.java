package dev.shoppulse.bench.orders;

import dev.shoppulse.bench.Benchmark;
import dev.shoppulse.bench.Flags;
import dev.shoppulse.bench.Result;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.kafka.Publisher;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.traffic.OrderStreamGenerator;
import dev.shoppulse.common.validation.EventDomains;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.KafkaOut;
import dev.shoppulse.jobs.flink.Parse;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.RawRecordDeserializer;
import dev.shoppulse.jobs.orders.OrderSequencingJob;
import dev.shoppulse.jobs.orders.SourcedOrderEvent;
import dev.shoppulse.launcher.LocalCluster;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
 * {@code ./shoppulse bench orders}: Kafka → sequencing → Kafka exactly-once with 5 M events over
 * 500 K orders (10% reordered, 1% duplicated) at parallelism 2, against (a) a plain consume→produce
 * copy loop without transactions (the ceiling of broker and machine), (b) the same logic in Kafka
 * Streams with exactly_once_v2 and (c) a Flink passthrough with the job's source, parse, keyBy,
 * encode and transactional sink but no sequencing (the floor of our topology), all on the same
 * broker with the same commit/checkpoint interval.
 *
 * <p>Every rate is input records per second. Beside the end-to-end rate (submission to the last
 * committed record) each streaming contender gets a steady-state rate: how fast its output topic
 * grew between 10% and 90% of its expected records, sampled from the topic's end offsets, so job
 * start-up and the final checkpoint are left out.
 *
 * <p>Flags after {@code --}: {@code events=N} (default 5000000), {@code orders=N} (events / 10),
 * {@code interval=DURATION} (checkpoint/commit interval, default 2s), {@code
 * only=copy,kstreams,passthrough,flink} (run a subset, e.g. {@code only=flink} under a profiler;
 * ratios against a skipped contender are left out; {@code flink-heap} adds the sequencing job on
 * the heap state backend, to show what RocksDB costs).
 */
public final class OrdersBenchmark implements Benchmark {
    private static final int PARTITIONS = 4;
    private static final int PARALLELISM = 2;

    /** When the generated orders start: inside the parse step's default events.min-time window. */
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static final List<String> CONTENDERS =
            List.of("copy", "kstreams", "passthrough", "flink");

    /**
     * Not run by default: the sequencing job on the heap state backend instead of RocksDB, to show
     * how much of sequencing's cost is state access. Not a production option: the order state
     * (tombstones for days) is meant to outgrow the heap.
     */
    private static final String FLINK_HEAP = "flink-heap";

    @Override
    public Result run(ShopPulseConfig base, String[] args) throws Exception {
        Map<String, String> flags = Flags.parse(args);
        int events = Integer.parseInt(flags.getOrDefault("events", "5000000"));
        int orders = Integer.parseInt(flags.getOrDefault("orders", String.valueOf(events / 10)));
        Duration interval =
                dev.shoppulse.common.config.Durations.parse(flags.getOrDefault("interval", "2s"));
        Set<String> only =
                Set.of(flags.getOrDefault("only", String.join(",", CONTENDERS)).split(","));
        List<String> known = new ArrayList<>(CONTENDERS);
        known.add(FLINK_HEAP);
        if (!Set.copyOf(known).containsAll(only)) {
            throw new IllegalArgumentException(
                    "only= takes some of " + CONTENDERS + ", got " + only);
        }
        String bootstrap = base.get(Settings.KAFKA_BOOTSTRAP);
        String run = UUID.randomUUID().toString().substring(0, 6);
        String in = "bench-orders-in-" + run;
        createTopics(bootstrap, in);

        long distinct = produceInput(bootstrap, in, events, orders);
        long total = countRecords(bootstrap, in);
        System.out.printf(
                "input: %d records (%d distinct events) over %d orders in %s%n",
                total, distinct, orders, in);
        Result result = new Result();

        Rate copy = null;
        if (only.contains("copy")) {
            // (a) the ceiling: a copy loop without transactions
            String copyOut = "bench-orders-copy-" + run;
            createTopics(bootstrap, copyOut);
            copy = copyLoop(bootstrap, in, copyOut, run, total);
            System.out.printf("copy loop          : %s%n", copy);
        }
        Rate ks = null;
        if (only.contains("kstreams")) {
            // (b) Kafka Streams, exactly_once_v2, same logic
            String ksOut = "bench-orders-ks-" + run;
            createTopics(bootstrap, ksOut, ksOut + "-dlq");
            ks = kafkaStreams(bootstrap, in, ksOut, run, interval, total, distinct);
            System.out.printf("kafka streams (eos): %s%n", ks);
        }
        Rate passthrough = null;
        if (only.contains("passthrough")) {
            // (c) the floor of our topology: source, parse, keyBy, encode, EOS sink, no sequencing
            String ptOut = "bench-orders-pt-" + run;
            createTopics(bootstrap, ptOut, ptOut + "-dlq");
            passthrough = passthrough(base, in, ptOut, run, interval, total);
            System.out.printf("flink passthrough  : %s%n", passthrough);
        }
        if (only.contains("flink")) {
            // ours: the production topology, Kafka sink exactly-once
            String ours = "bench-orders-flink-" + run;
            createTopics(bootstrap, ours, ours + "-alerts", ours + "-dlq");
            Rate flink = flink(base, in, ours, run, interval, total, distinct, false);
            System.out.printf("shoppulse (flink)  : %s%n", flink);
            result.put("events_per_s", Math.round(flink.endToEnd()))
                    .put("steady_events_per_s", Math.round(flink.steady()))
                    .put("cpu_us_per_event", flink.cpuMicrosPerEvent());
            if (ks != null) {
                result.put("vs_kstreams", flink.endToEnd() / ks.endToEnd())
                        .put("vs_kstreams_steady", flink.steady() / ks.steady());
            }
            if (copy != null) {
                result.put("vs_copy", flink.endToEnd() / copy.endToEnd());
            }
            if (passthrough != null) {
                result.put("vs_flink_passthrough", flink.endToEnd() / passthrough.endToEnd())
                        .put("vs_flink_passthrough_steady", flink.steady() / passthrough.steady())
                        .put(
                                "vs_flink_passthrough_cpu",
                                passthrough.cpuMicrosPerEvent() / flink.cpuMicrosPerEvent());
            }
        }
        if (only.contains(FLINK_HEAP)) {
            String heapOut = "bench-orders-heap-" + run;
            createTopics(bootstrap, heapOut, heapOut + "-alerts", heapOut + "-dlq");
            Rate heap = flink(base, in, heapOut, run, interval, total, distinct, true);
            System.out.printf("shoppulse (heap)   : %s%n", heap);
            result.put("heap_events_per_s", Math.round(heap.endToEnd()))
                    .put("heap_steady_events_per_s", Math.round(heap.steady()))
                    .put("heap_cpu_us_per_event", heap.cpuMicrosPerEvent());
        }
        if (ks != null) {
            result.put("kstreams_events_per_s", Math.round(ks.endToEnd()))
                    .put("kstreams_steady_events_per_s", Math.round(ks.steady()))
                    .put("kstreams_cpu_us_per_event", ks.cpuMicrosPerEvent());
        }
        if (passthrough != null) {
            result.put("passthrough_events_per_s", Math.round(passthrough.endToEnd()))
                    .put("passthrough_steady_events_per_s", Math.round(passthrough.steady()))
                    .put("passthrough_cpu_us_per_event", passthrough.cpuMicrosPerEvent());
        }
        if (copy != null) {
            result.put("copy_events_per_s", Math.round(copy.endToEnd()))
                    .put("copy_cpu_us_per_event", copy.cpuMicrosPerEvent());
        }
        return result.put("input_records", total).put("interval_ms", interval.toMillis());
    }

    /**
     * A contender's rates in input records per second, end to end and steady state (NaN where not
     * measured), and the CPU time this whole JVM (broker included) spent per input record while the
     * contender ran: on a shared machine the rates swing with the neighbours' load, the CPU per
     * record much less.
     */
    record Rate(double endToEnd, double steady, double cpuMicrosPerEvent) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%,.0f events/s end to end, %,.0f steady, %.1f µs CPU per event",
                    endToEnd,
                    steady,
                    cpuMicrosPerEvent);
        }
    }

    /** CPU time of this JVM, all threads, in nanoseconds. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double cpuMicrosPerEvent(long cpuStart, long events) {
        return (cpuNanos() - cpuStart) / 1e3 / events;
    }

    private static long produceInput(String bootstrap, String topic, int events, int orders)
            throws Exception {
        int perOrder = Math.max(4, events / orders);
        OrderStreamGenerator gen =
                new OrderStreamGenerator(2026, "b-", 0.10, 0.01, 0.0).withEventsPerOrder(perOrder);
        long distinct = 0;
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
            for (int done = 0; done < orders; done += 1000) {
                for (OrderEvent e : gen.nextBatch(Math.min(1000, orders - done), START)) {
                    p.send(
                            new ProducerRecord<>(
                                    topic,
                                    e.orderId().getBytes(StandardCharsets.UTF_8),
                                    OrdersCapability.ORDERS.codec().encode(e)));
                }
            }
            p.flush();
            distinct = (long) orders * perOrder;
        }
        return distinct;
    }

    private static Rate copyLoop(String bootstrap, String in, String out, String run, long total)
            throws Exception {
        AtomicLong copied = new AtomicLong();
        long start = System.nanoTime();
        long cpu = cpuNanos();
        List<Thread> threads = new ArrayList<>();
        try (OutputSampler sampler = new OutputSampler(bootstrap, out);
                KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
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
            return new Rate(
                    total / seconds(start),
                    sampler.steadyRate(total, total),
                    cpuMicrosPerEvent(cpu, total));
        }
    }

    private static Rate kafkaStreams(
            String bootstrap,
            String in,
            String out,
            String run,
            Duration interval,
            long total,
            long distinct)
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
        long cpu = cpuNanos();
        try (OutputSampler sampler = new OutputSampler(bootstrap, out);
                KafkaStreams streams =
                        new KafkaStreams(
                                KafkaStreamsSequencer.topology(in, out, out + "-dlq"), p)) {
            streams.start();
            awaitCommitted(bootstrap, out, distinct, Duration.ofMinutes(60));
            Rate rate =
                    new Rate(
                            total / seconds(start),
                            sampler.steadyRate(distinct, total),
                            cpuMicrosPerEvent(cpu, total));
            streams.close(Duration.ofSeconds(30));
            return rate;
        }
    }

    /** The job's configuration for one Flink contender writing to {@code out}. */
    private static ShopPulseConfig flinkConfig(
            ShopPulseConfig base, String in, String out, String run, Duration interval) {
        return base.with(Settings.topicSetting(OrdersCapability.ORDERS.name()), in)
                .with(Settings.topicSetting(OrdersCapability.ORDERS_SEQUENCED.name()), out)
                .with(Settings.topicSetting(OrdersCapability.ORDERS_ALERTS.name()), out + "-alerts")
                .with(Settings.topicSetting(OrdersCapability.ORDERS_DLQ.name()), out + "-dlq")
                .with(Settings.KAFKA_TXN_PREFIX, "bench-" + run + "-" + out)
                .with(
                        Settings.CHECKPOINT_INTERVAL,
                        dev.shoppulse.common.config.Durations.format(interval))
                .with(Settings.CHECKPOINT_DIR, "file:///tmp/shoppulse-bench-cp-" + run)
                .with(Settings.FLINK_PARALLELISM, PARALLELISM)
                .with(OrdersCapability.ORDERS_GAP_TIMEOUT, "30m");
    }

    /** The same bounded source for both Flink contenders: the input from its start to its end. */
    private static DataStream<RawRecord> source(
            StreamExecutionEnvironment env, ShopPulseConfig config, String in, String group) {
        KafkaSource<RawRecord> source =
                KafkaSource.<RawRecord>builder()
                        .setBootstrapServers(config.get(Settings.KAFKA_BOOTSTRAP))
                        .setTopics(in)
                        .setGroupId(group)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setDeserializer(new RawRecordDeserializer())
                        .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders-source");
    }

    /**
     * Runs one Flink contender on its own local cluster until its bounded source is done and its
     * final checkpoint committed the output, and checks the committed output has {@code
     * expectedOut} records.
     */
    private static Rate runFlink(
            ShopPulseConfig config,
            String name,
            BiConsumer<StreamExecutionEnvironment, ShopPulseConfig> wiring,
            long total,
            long expectedOut)
            throws Exception {
        String out = config.topic(OrdersCapability.ORDERS_SEQUENCED);
        try (LocalCluster cluster = LocalCluster.start(config, 4);
                OutputSampler sampler = new OutputSampler(bootstrap(config), out)) {
            long start = System.nanoTime();
            long cpu = cpuNanos();
            var job = cluster.submitJob(config, name, env -> wiring.accept(env, config));
            job.getJobExecutionResult().get(60, TimeUnit.MINUTES);
            double rate = total / seconds(start);
            double cpuPerEvent = cpuMicrosPerEvent(cpu, total);
            long committed = countCommitted(bootstrap(config), out);
            long dlq = countCommitted(bootstrap(config), config.topic(OrdersCapability.ORDERS_DLQ));
            if (committed != expectedOut || dlq != 0) {
                throw new IllegalStateException(
                        name
                                + " output "
                                + committed
                                + " (expected "
                                + expectedOut
                                + "), dead letters "
                                + dlq
                                + " (expected 0)");
            }
            return new Rate(rate, sampler.steadyRate(expectedOut, total), cpuPerEvent);
        }
    }

    /**
     * The floor of our topology: the job's source, parse (same codec and domain checks), keyBy
     * order id, encode and exactly-once sink, with nothing in between, so its distance from the
     * sequencing job is what sequencing costs. Every input record is written, duplicates included.
     */
    private static Rate passthrough(
            ShopPulseConfig base, String in, String out, String run, Duration interval, long total)
            throws Exception {
        ShopPulseConfig config = flinkConfig(base, in, out, run, interval);
        String outTopic = config.topic(OrdersCapability.ORDERS_SEQUENCED);
        String dlqTopic = config.topic(OrdersCapability.ORDERS_DLQ);
        return runFlink(
                config,
                "bench-order-passthrough",
                (env, c) -> {
                    SingleOutputStreamOperator<SourcedOrderEvent> parsed =
                            source(env, c, in, "bench-pt-" + run)
                                    .process(
                                            new Parse<OrderEvent, SourcedOrderEvent>(
                                                    OrdersCapability.ORDERS.codec(),
                                                    EventDomains.orders(
                                                            EventDomains.window(
                                                                    c,
                                                                    OrdersCapability
                                                                            .ORDERS_MAX_FUTURE)),
                                                    SourcedOrderEvent::of,
                                                    c.getInt(Settings.DLQ_MAX_VALUE_BYTES)))
                                    .returns(TypeInformation.of(SourcedOrderEvent.class))
                                    .name("parse");
                    parsed.keyBy(SourcedOrderEvent::orderId)
                            .map(
                                    e ->
                                            KafkaOut.of(
                                                    outTopic,
                                                    OrdersCapability.ORDERS_SEQUENCED,
                                                    e.orderId(),
                                                    e.event()))
                            .returns(JobSetup.kafkaOutType())
                            .name("encode")
                            .sinkTo(JobSetup.exactlyOnceSink(c, "bench-passthrough"))
                            .name("kafka-out");
                    parsed.getSideOutput(Parse.DEAD_LETTERS)
                            .map(d -> KafkaOut.of(dlqTopic, OrdersCapability.ORDERS_DLQ, null, d))
                            .returns(JobSetup.kafkaOutType())
                            .sinkTo(JobSetup.exactlyOnceSink(c, "bench-passthrough-side"))
                            .name("kafka-dlq");
                },
                total,
                total);
    }

    private static Rate flink(
            ShopPulseConfig base,
            String in,
            String out,
            String run,
            Duration interval,
            long total,
            long distinct,
            boolean heapState)
            throws Exception {
        ShopPulseConfig config = flinkConfig(base, in, out, run, interval);
        return runFlink(
                config,
                "bench-order-sequencing",
                (env, c) -> {
                    if (heapState) {
                        Configuration heap = new Configuration();
                        heap.set(StateBackendOptions.STATE_BACKEND, "hashmap");
                        env.configure(heap);
                    }
                    OrderSequencingJob.topology(
                            source(env, c, in, "bench-flink-" + run),
                            c,
                            new OrderSequencingJob.Sinks(
                                    JobSetup.exactlyOnceSink(c, OrderSequencingJob.NAME),
                                    JobSetup.exactlyOnceSink(c, OrderSequencingJob.NAME + "-side"),
                                    null,
                                    new DiscardingSink<>()));
                },
                total,
                distinct);
    }

    /**
     * Samples the summed end offsets of a topic every 100 ms on its own thread. The steady-state
     * rate is taken between the moments the topic held 10% and 90% of the records expected, by
     * linear interpolation between samples: a transactional producer's records count when written,
     * not when committed, so the checkpoint cadence does not make the curve a staircase.
     */
    static final class OutputSampler implements AutoCloseable {
        private final List<long[]> samples = new ArrayList<>();
        private final Thread thread;
        private volatile boolean stop;

        OutputSampler(String bootstrap, String topic) {
            thread =
                    new Thread(
                            () -> {
                                try (KafkaConsumer<byte[], byte[]> c =
                                        consumer(bootstrap, null, "read_uncommitted")) {
                                    List<TopicPartition> parts =
                                            c.partitionsFor(topic).stream()
                                                    .map(
                                                            i ->
                                                                    new TopicPartition(
                                                                            topic, i.partition()))
                                                    .toList();
                                    while (!stop) {
                                        long sum =
                                                c.endOffsets(parts).values().stream()
                                                        .mapToLong(Long::longValue)
                                                        .sum();
                                        synchronized (samples) {
                                            samples.add(new long[] {System.nanoTime(), sum});
                                        }
                                        Thread.sleep(100);
                                    }
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "bench-sampler-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * Input records per second while the output grew from 10% to 90% of {@code expectedOut}
         * (scaled by {@code input / expectedOut}); NaN if the samples do not cover that span.
         */
        double steadyRate(long expectedOut, long input) {
            List<long[]> copy;
            synchronized (samples) {
                copy = new ArrayList<>(samples);
            }
            double from = crossing(copy, 0.1 * expectedOut);
            double to = crossing(copy, 0.9 * expectedOut);
            if (Double.isNaN(from) || Double.isNaN(to) || to <= from) {
                return Double.NaN;
            }
            return 0.8 * input / ((to - from) / 1e9);
        }

        /** When the offsets first reached {@code level}, interpolated; NaN if never sampled so. */
        private static double crossing(List<long[]> samples, double level) {
            for (int i = 1; i < samples.size(); i++) {
                long[] a = samples.get(i - 1);
                long[] b = samples.get(i);
                if (b[1] >= level && a[1] < level) {
                    return a[0] + (b[0] - a[0]) * (level - a[1]) / (double) (b[1] - a[1]);
                }
            }
            return Double.NaN;
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(5_000);
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

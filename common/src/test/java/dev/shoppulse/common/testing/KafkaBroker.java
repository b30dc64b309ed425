package dev.shoppulse.common.testing;

import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka broker (KRaft, combined controller and broker) inside this JVM.
 *
 * <p>Tests share one broker per JVM through {@link #shared()} and isolate themselves with {@link
 * #uniqueTopic}; the local runner starts its own.
 */
public final class KafkaBroker implements AutoCloseable {
    /** Messages up to this size are accepted, so poison-input tests can send 10 MB values. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static KafkaBroker shared;

    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts a new broker; the caller closes it. */
    public static KafkaBroker start() {
        try {
            KafkaClusterTestKit cluster =
                    new KafkaClusterTestKit.Builder(
                                    new TestKitNodes.Builder()
                                            .setCombined(true)
                                            .setNumBrokerNodes(1)
                                            .setNumControllerNodes(1)
                                            .build())
                            // One broker: internal topics cannot have more replicas than that.
                            .setConfigProp("offsets.topic.replication.factor", "1")
                            .setConfigProp("offsets.topic.num.partitions", "4")
                            .setConfigProp("transaction.state.log.replication.factor", "1")
                            .setConfigProp("transaction.state.log.min.isr", "1")
                            .setConfigProp("transaction.state.log.num.partitions", "4")
                            .setConfigProp("group.initial.rebalance.delay.ms", "0")
                            .setConfigProp("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES))
                            .setConfigProp(
                                    "replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES))
                            .setConfigProp("auto.create.topics.enable", "false")
                            .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaBroker(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-JVM Kafka broker", e);
        }
    }

    /** The broker every test in this JVM shares; it stops when the JVM exits. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = start();
            KafkaBroker b = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(b::close, "kafka-broker-stop"));
        }
        return shared;
    }

    public String bootstrap() {
        return cluster.bootstrapServers();
    }

    /**
     * Stops the broker (the KRaft controller stays up), as a broker crash or restart would: its
     * clients lose their connections. Only for a private instance, never {@link #shared()}.
     */
    public void stopBroker() {
        if (this == shared) {
            throw new IllegalStateException("never stop the shared broker; start a private one");
        }
        cluster.brokers().values().forEach(b -> b.shutdown());
    }

    /** Starts the stopped broker again on the same ports and log directories. */
    public void startBroker() {
        cluster.brokers().values().forEach(b -> b.startup());
        try {
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("the restarted broker did not become ready", e);
        }
    }

    /** A topic name no other test uses. */
    public static String uniqueTopic(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@link #withFreshTopics(ShopPulseConfig, int, Topic...)} for every topic the jobs use. */
    public ShopPulseConfig withFreshTopics(
            ShopPulseConfig config, int partitions, JobDefinition... jobs) {
        return withFreshTopics(
                config,
                partitions,
                Arrays.stream(jobs)
                        .flatMap(j -> j.topics().stream())
                        .distinct()
                        .toArray(Topic<?>[]::new));
    }

    /**
     * Gives each registry topic in {@code topics} a fresh name in {@code config} and creates it, so
     * a test reads and writes only its own topics; look the names up with {@code config.topic(t)}.
     */
    public ShopPulseConfig withFreshTopics(
            ShopPulseConfig config, int partitions, Topic<?>... topics) {
        ShopPulseConfig c = config;
        String[] names = new String[topics.length];
        for (int i = 0; i < topics.length; i++) {
            names[i] = uniqueTopic(topics[i].name());
            c = c.with(Settings.topicSetting(topics[i].name()), names[i]);
        }
        createTopics(partitions, names);
        return c;
    }

    private static boolean allHaveLeaders(Admin admin, String... names)
            throws InterruptedException, ExecutionException {
        try {
            return admin.describeTopics(List.of(names)).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream())
                    .allMatch(p -> p.leader() != null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                // Created, but the broker's metadata does not show it yet.
                return false;
            }
            throw e;
        }
    }

    public void createTopics(int partitions, String... names) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(
                        new NewTopic(n, partitions, (short) 1)
                                .configs(
                                        Map.of(
                                                "max.message.bytes",
                                                String.valueOf(MAX_MESSAGE_BYTES))));
            }
            admin.createTopics(topics).all().get();
            // A producer writing before a partition has its leader can get stuck retrying: the
            // topics are ready when every partition has one. (No Awaitility here: the local run
            // and the benchmarks use this broker at runtime, where test libraries are absent.)
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!allHaveLeaders(admin, names)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics without leaders: " + List.of(names));
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topics " + List.of(names), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public KafkaProducer<byte[], byte[]> producer() {
        return producer(true);
    }

    /**
     * A producer of raw records; {@code idempotent} false for input sent across a broker restart:
     * the restarted broker can hand out a producer id it gave before, whose sequence numbers the
     * partition still holds, and an idempotent producer then retries OUT_OF_ORDER_SEQUENCE for
     * ever. Without idempotence a retry may duplicate a record, which input may.
     */
    public KafkaProducer<byte[], byte[]> producer(boolean idempotent) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf(idempotent));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        if (!idempotent) {
            // One request in flight: a retried batch cannot overtake the next one.
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        }
        return new KafkaProducer<>(p);
    }

    /** A consumer that sees only committed transactional output, assigned to every partition. */
    public KafkaConsumer<byte[], byte[]> readCommittedConsumer(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(MAX_MESSAGE_BYTES));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts =
                consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(i -> new TopicPartition(topic, i.partition()))
                        .toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return consumer;
    }

    /**
     * Reads committed records of {@code topic} until {@code done} holds for what was read, or the
     * timeout passes; returns everything read either way so the caller's assertion explains.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = readCommittedConsumer(topic)) {
            while (!done.test(all) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    /**
     * Reads committed records of {@code topic} until at least {@code expected} arrived and then
     * nothing more for {@code quiet}, so a duplicate landing after the expected ones is read too;
     * returns everything read, also on {@code timeout}, for the caller's exact-count assertion.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommittedSettled(
            String topic, int expected, Duration quiet, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = readCommittedConsumer(topic)) {
            long deadline = System.nanoTime() + timeout.plus(quiet).toNanos();
            long lastArrival = System.nanoTime();
            // Too few, or records never stopped coming by the deadline: the caller's count
            // assertion says so.
            while (System.nanoTime() < deadline) {
                var got = c.poll(Duration.ofMillis(200));
                got.forEach(all::add);
                if (!got.isEmpty()) {
                    lastArrival = System.nanoTime();
                }
                if (all.size() >= expected && System.nanoTime() - lastArrival >= quiet.toNanos()) {
                    break;
                }
            }
        }
        return all;
    }

    /** Everything committed in {@code topic} right now: reads until the end offsets. */
    public List<ConsumerRecord<byte[], byte[]>> readAllCommitted(String topic) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = readCommittedConsumer(topic)) {
            Set<TopicPartition> parts = c.assignment();
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!reached(c, end, parts) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    private static boolean reached(
            KafkaConsumer<?, ?> c,
            Map<TopicPartition, Long> end,
            Collection<TopicPartition> parts) {
        for (TopicPartition tp : parts) {
            if (c.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            // Shutting down; nothing useful to do with a failure to stop.
        }
    }
}

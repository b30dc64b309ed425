package dev.shoppulse.common.capability;

import dev.shoppulse.common.topics.Topic;
import java.util.List;
import java.util.Objects;

/**
 * A Flink job of a capability: its name (also the stem of its consumer group, transactional ids and
 * operator names), its entry class for {@code flink run -c} (which has {@code main} and {@code
 * build(StreamExecutionEnvironment, ShopPulseConfig)}), and every topic it reads or writes.
 */
public record JobDefinition(String name, String entryClass, List<Topic<?>> topics) {
    public JobDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(entryClass, "entryClass");
        topics = List.copyOf(topics);
    }
}

package dev.shoppulse.common.topics;

import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.serde.JsonCodec;
import java.io.Serializable;
import java.util.Objects;

/**
 * A Kafka topic in the registry: its default name and the codec of its values. The deployed name
 * can be changed by configuration ({@code topics.<name>}).
 */
public record Topic<T>(String name, JsonCodec<T> codec, String description)
        implements Serializable {
    /** The value codec of every dead-letter topic. */
    public static final JsonCodec<DeadLetter> DEAD_LETTERS = new JsonCodec<>(DeadLetter.class);

    /** A topic of JSON values of {@code type}. */
    public static <T> Topic<T> json(String name, Class<T> type, String description) {
        return new Topic<>(name, new JsonCodec<>(type), description);
    }

    /** A dead-letter topic. */
    public static Topic<DeadLetter> deadLetters(String name, String description) {
        return new Topic<>(name, DEAD_LETTERS, description);
    }

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(description, "description");
    }
}

package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Sends notifications to the email provider under a hard global ceiling of calls per sliding
 * window, shared by every subtask through Redis ({@link SlidingLogLimiter}); notifications not yet
 * handed to the provider are checkpointed and in-flight ones are finished before a checkpoint
 * completes (at least once; the provider deduplicates by Idempotency-Key).
 *
 * <p>The state keeps the async sink's format ({@link BufferedRequestState}, {@link
 * NotificationStateSerializer} version 1), so savepoints taken by the earlier async-sink version
 * restore.
 */
public final class EmailSink
        implements Sink<Notification>,
                SupportsWriterState<Notification, BufferedRequestState<Notification>> {
    private static final long serialVersionUID = 2L;

    private final NotificationSettings settings;

    public EmailSink(NotificationSettings settings) {
        this.settings = settings;
    }

    @Override
    public StatefulSinkWriter<Notification, BufferedRequestState<Notification>> createWriter(
            WriterInitContext context) {
        return new EmailSinkWriter(context, settings, List.of());
    }

    @Override
    public StatefulSinkWriter<Notification, BufferedRequestState<Notification>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<Notification>> states) {
        return new EmailSinkWriter(context, settings, states);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<Notification>>
            getWriterStateSerializer() {
        return new NotificationStateSerializer();
    }
}

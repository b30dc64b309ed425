package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Sends notifications to the email provider under a hard global ceiling of calls per sliding
 * window, shared by every subtask through Redis ({@link SlidingLogLimiter}); built on Flink's async
 * sink so buffered notifications are checkpointed and in-flight ones are finished before a
 * checkpoint completes (at least once; the provider deduplicates by Idempotency-Key).
 */
public final class EmailSink extends AsyncSinkBase<Notification, Notification> {
    private static final long serialVersionUID = 1L;

    /** Longer than any retry horizon: the dispatcher, not a timer, decides when to give up. */
    private static final long REQUEST_TIMEOUT_MS = 7L * 24 * 3600 * 1000;

    private final NotificationSettings settings;

    public EmailSink(NotificationSettings settings) {
        super(
                (ElementConverter<Notification, Notification>) (n, ctx) -> n,
                1,
                settings.maxInFlight(),
                settings.maxInFlight() * 2,
                1 << 20,
                10,
                1 << 20,
                REQUEST_TIMEOUT_MS,
                false);
        this.settings = settings;
    }

    @Override
    public StatefulSinkWriter<Notification, BufferedRequestState<Notification>> createWriter(
            WriterInitContext context) {
        return new EmailSinkWriter(getElementConverter(), context, settings, List.of());
    }

    @Override
    public StatefulSinkWriter<Notification, BufferedRequestState<Notification>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<Notification>> states)
            throws IOException {
        return new EmailSinkWriter(getElementConverter(), context, settings, states);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<Notification>>
            getWriterStateSerializer() {
        return new NotificationStateSerializer();
    }
}

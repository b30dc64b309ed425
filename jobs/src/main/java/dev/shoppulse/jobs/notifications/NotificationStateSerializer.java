package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.serde.Json;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/** Checkpoints the email sink's buffered notifications as length-prefixed JSON. */
final class NotificationStateSerializer extends AsyncSinkWriterStateSerializer<Notification> {

    @Override
    protected void serializeRequestToStream(Notification n, DataOutputStream out)
            throws IOException {
        byte[] bytes = Json.write(n);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    protected Notification deserializeRequestFromStream(long size, DataInputStream in)
            throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return Json.MAPPER.readValue(bytes, Notification.class);
    }

    @Override
    public int getVersion() {
        return 1;
    }
}

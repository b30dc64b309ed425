package dev.shoppulse.bench.orders;

import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.serde.BadRecordException;
import dev.shoppulse.jobs.orders.OrderLifecycle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The baseline: the same per-order sequencing logic (buffer, dedup, conflict detection, lifecycle
 * check) in Kafka Streams with a RocksDB key-value store and a compact binary state serde, run with
 * exactly_once_v2. Gap timeouts (punctuators) are left out: the benchmark input has no gaps, so
 * neither side ever fires one.
 */
final class KafkaStreamsSequencer {
    static final String STORE = "order-seq";

    private KafkaStreamsSequencer() {}

    static Topology topology(String in, String out, String dlq) {
        Topology t = new Topology();
        t.addSource("orders", new ByteArrayDeserializer(), new ByteArrayDeserializer(), in);
        t.addProcessor("sequence", SequenceProcessor::new, "orders");
        t.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray()),
                "sequence");
        t.addSink(
                "sequenced", out, new ByteArraySerializer(), new ByteArraySerializer(), "sequence");
        t.addSink(
                "dead-letters",
                dlq,
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                "sequence");
        return t;
    }

    /** Per-order state: next seq, waiting events, fingerprints of emitted seqs, last type. */
    static final class State {
        long next = 1;
        int lastType = -1;
        final TreeMap<Long, byte[]> buffer = new TreeMap<>();
        final TreeMap<Long, String> emitted = new TreeMap<>();

        byte[] encode() {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeLong(next);
                out.writeInt(lastType);
                out.writeInt(buffer.size());
                for (Map.Entry<Long, byte[]> e : buffer.entrySet()) {
                    out.writeLong(e.getKey());
                    out.writeInt(e.getValue().length);
                    out.write(e.getValue());
                }
                out.writeInt(emitted.size());
                for (Map.Entry<Long, String> e : emitted.entrySet()) {
                    out.writeLong(e.getKey());
                    out.writeUTF(e.getValue());
                }
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static State decode(byte[] b) {
            State s = new State();
            if (b == null) {
                return s;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
                s.next = in.readLong();
                s.lastType = in.readInt();
                for (int i = in.readInt(); i > 0; i--) {
                    long seq = in.readLong();
                    byte[] v = new byte[in.readInt()];
                    in.readFully(v);
                    s.buffer.put(seq, v);
                }
                for (int i = in.readInt(); i > 0; i--) {
                    s.emitted.put(in.readLong(), in.readUTF());
                }
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final class SequenceProcessor implements Processor<byte[], byte[], byte[], byte[]> {
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> r) {
            OrderEvent e;
            try {
                e = OrdersCapability.ORDERS.codec().decode(r.value());
            } catch (BadRecordException ex) {
                context.forward(r, "dead-letters");
                return;
            }
            State s = State.decode(store.get(e.orderId()));
            long seq = e.seq();
            String fp = e.fingerprint();
            if (seq < s.next) {
                if (!fp.equals(s.emitted.get(seq))) {
                    context.forward(r, "dead-letters");
                }
                return;
            }
            if (seq > s.next) {
                byte[] waiting = s.buffer.get(seq);
                if (waiting == null) {
                    s.buffer.put(seq, r.value());
                    store.put(e.orderId(), s.encode());
                } else if (!java.util.Arrays.equals(waiting, r.value())) {
                    context.forward(r, "dead-letters");
                }
                return;
            }
            emit(s, e, r);
            byte[] waiting;
            while ((waiting = s.buffer.remove(s.next)) != null) {
                try {
                    OrderEvent w = OrdersCapability.ORDERS.codec().decode(waiting);
                    emit(s, w, r.withValue(waiting));
                } catch (BadRecordException ex) {
                    throw new IllegalStateException("buffered events were valid", ex);
                }
            }
            store.put(e.orderId(), s.encode());
        }

        private void emit(State s, OrderEvent e, Record<byte[], byte[]> r) {
            OrderEventType previous = s.lastType < 0 ? null : OrderEventType.values()[s.lastType];
            if (!OrderLifecycle.allowed(previous, e.type())) {
                context.forward(r, "dead-letters");
            }
            context.forward(
                    r.withValue(OrdersCapability.ORDERS_SEQUENCED.codec().encode(e)), "sequenced");
            s.emitted.put(e.seq(), e.fingerprint());
            s.lastType = e.type().ordinal();
            s.next = e.seq() + 1;
        }
    }
}

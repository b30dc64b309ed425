package dev.shoppulse.launcher.sql;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.jobs.pincodes.PincodeUpdateJob;
import dev.shoppulse.launcher.Capability;
import dev.shoppulse.launcher.LocalCluster;
import dev.shoppulse.launcher.LocalMetrics;
import dev.shoppulse.launcher.Traffic;
import dev.shoppulse.sql.PincodeSql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bulk pincode updates in the local run: seeds users, runs {@link PincodeUpdateJob}, and produces
 * updates with a few unknown emails, invalid pincodes and late (older) repeats mixed in.
 */
public final class PincodesLocal implements Capability {
    private static final String JOB = PincodeUpdateJob.NAME;
    static final int USERS = 20_000;

    private final AtomicLong invalidSent = new AtomicLong();
    private Traffic traffic;

    @Override
    public String name() {
        return "pincodes";
    }

    @Override
    public void submitJobs(LocalCluster cluster, ShopPulseConfig config) throws Exception {
        try (Connection c = LocalDb.connect(config);
                PreparedStatement ps = c.prepareStatement(PincodeSql.INSERT_USERS)) {
            String[] emails = new String[USERS];
            for (int k = 0; k < USERS; k++) {
                emails[k] = "User" + k + "@Example.in";
            }
            ps.setArray(1, c.createArrayOf("text", emails));
            ps.executeUpdate();
        }
        cluster.submit(config, JOB, env -> PincodeUpdateJob.build(env, config));
    }

    @Override
    public void startTraffic(ShopPulseConfig config) {
        traffic = Traffic.toKafka(config, "pincode-traffic");
        String topic = config.topic(PincodesCapability.PINCODE_UPDATES);
        int perTick = Math.max(1, config.getInt(PincodesCapability.LOCAL_PINCODES_PER_S) / 10);
        Random random = new Random();
        traffic.every(
                100,
                () -> {
                    Instant now = Instant.now();
                    for (int k = 0; k < perTick; k++) {
                        double dice = random.nextDouble();
                        // 2 % unknown users, 1 % invalid pincodes, 5 % late repeats (older).
                        int id =
                                dice < 0.02 ? USERS + random.nextInt(USERS) : random.nextInt(USERS);
                        String email = "user" + id + "@example.in";
                        String pin = String.valueOf(100000 + random.nextInt(899999));
                        if (dice >= 0.02 && dice < 0.03) {
                            traffic.send(topic, email, invalid(email, now));
                            invalidSent.incrementAndGet();
                            continue;
                        }
                        Instant at = dice < 0.08 && dice >= 0.03 ? now.minusSeconds(3600) : now;
                        traffic.send(
                                topic,
                                email,
                                PincodesCapability.PINCODE_UPDATES
                                        .codec()
                                        .encode(new PincodeUpdate(email, pin, at)));
                    }
                });
    }

    private static byte[] invalid(String email, Instant at) {
        return ("{\"email\":\"" + email + "\",\"pincode\":\"01234\",\"occurredAt\":\"" + at + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean drained() {
        return traffic == null || LocalMetrics.parsedOrRejected(JOB) >= traffic.sent();
    }

    @Override
    public Map<String, Object> progress() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in", traffic.sent());
        m.put("updated", LocalMetrics.sum(JOB, "pincodes.updated"));
        m.put("batches", LocalMetrics.sum(JOB, "pincodes.batches"));
        m.put("unknown", LocalMetrics.sum(JOB, "pincodes.unknown"));
        m.put("dlq", LocalMetrics.sum(JOB, "dlq"));
        return m;
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pincodes.in", traffic.sent());
        m.put("pincodes.updated", LocalMetrics.sum(JOB, "pincodes.updated"));
        m.put("pincodes.stale", LocalMetrics.sum(JOB, "pincodes.stale"));
        m.put("pincodes.unknown", LocalMetrics.sum(JOB, "pincodes.unknown"));
        m.put("pincodes.batches", LocalMetrics.sum(JOB, "pincodes.batches"));
        m.put("pincodes.dlq", LocalMetrics.sum(JOB, "dlq"));
        m.put("pincodes.hostile_sent", traffic == null ? 0 : traffic.hostileSent());
        m.put("pincodes.invalid_sent", invalidSent.get());
        return m;
    }

    @Override
    public void close() {
        if (traffic != null) {
            traffic.close();
        }
    }
}

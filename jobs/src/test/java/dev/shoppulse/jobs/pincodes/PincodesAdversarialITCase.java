package dev.shoppulse.jobs.pincodes;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.AdversarialContract;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.sql.PincodeSql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pincode job under the adversarial contract; a canary sets one known user's pincode. */
class PincodesAdversarialITCase extends AdversarialContract {
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = cluster(METRICS);

    PincodesAdversarialITCase() {
        super(METRICS, PincodesCapability.DEFINITION);
    }

    @Override
    protected ShopPulseConfig configure(ShopPulseConfig c) {
        return c.with(PincodesCapability.PINCODES_BATCH_SIZE, 50)
                .with(PincodesCapability.PINCODES_BATCH_INTERVAL, "100ms");
    }

    @Override
    protected void prepare() throws Exception {
        String[] emails = new String[HOSTILE / CANARY_EVERY + 2];
        for (int k = 0; k < emails.length - 1; k++) {
            emails[k] = email(k);
        }
        emails[emails.length - 1] = "hostile@example.in";
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                PreparedStatement ps = c.prepareStatement(PincodeSql.INSERT_USERS)) {
            ps.setArray(1, c.createArrayOf("text", emails));
            ps.executeUpdate();
        }
    }

    private static String email(int k) {
        return "canary" + k + "@example.in";
    }

    @Override
    protected void wire(StreamExecutionEnvironment env) {
        PincodeUpdateJob.topology(
                JobSetup.rawStream(
                        env,
                        config,
                        PincodesCapability.PINCODE_UPDATES,
                        "adversarial",
                        "pincodes-source"),
                config,
                PostgresSettings.from(config),
                JobSetup.exactlyOnceSink(config, "pincodes-adversarial"));
    }

    @Override
    protected byte[] template() {
        return PincodesCapability.PINCODE_UPDATES
                .codec()
                .encode(new PincodeUpdate("hostile@example.in", "560001", Instant.now()));
    }

    @Override
    protected ProducerRecord<byte[], byte[]> canary(String topic, int i) {
        return new ProducerRecord<>(
                topic,
                email(i).getBytes(StandardCharsets.UTF_8),
                PincodesCapability.PINCODE_UPDATES
                        .codec()
                        .encode(
                                new PincodeUpdate(
                                        email(i), String.valueOf(110000 + i), Instant.now())));
    }

    @Override
    protected boolean canariesArrived(int canaries) throws Exception {
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT count(*) FROM users WHERE email LIKE 'canary%'"
                                        + " AND pincode = (110000 + substring(email from"
                                        + " '[0-9]+')::int)::text")) {
            rs.next();
            return rs.getLong(1) == canaries;
        }
    }
}

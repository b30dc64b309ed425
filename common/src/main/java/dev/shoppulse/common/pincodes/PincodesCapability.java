package dev.shoppulse.common.pincodes;

import static dev.shoppulse.common.config.Setting.Type.DURATION;
import static dev.shoppulse.common.config.Setting.Type.INT;

import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.topics.Topic;

/**
 * Bulk pincode updates: one guarded set-based UPDATE per batch, fed by unnest or COPY by size.
 *
 * <p>Everything ShopPulse knows about this capability outside its code: its settings and topics
 * (declared below), its job, its API routes and its local traffic. {@link
 * dev.shoppulse.common.capability.Capabilities} lists it once; the configuration, the topic list,
 * the cluster catalogue, the local run and the API's route check read it from there.
 */
public final class PincodesCapability {
    private PincodesCapability() {}

    // --- settings ---------------------------------------------------------------------------
    public static final Setting PINCODES_BATCH_SIZE =
            Setting.of(
                    "pincodes.batch-size",
                    INT,
                    "1000",
                    "Most pincode updates the job writes in one UPDATE ... FROM statement.");
    public static final Setting PINCODES_BATCH_INTERVAL =
            Setting.of(
                    "pincodes.batch-interval",
                    DURATION,
                    "200ms",
                    "Longest a pincode update waits in a partly filled batch.");
    public static final Setting PINCODES_KEY_BUCKETS =
            Setting.of(
                    "pincodes.key-buckets",
                    INT,
                    "8",
                    "Email hash buckets the job batches by; one bucket's batches are written in"
                            + " order, so two writers never race on one email.");
    public static final Setting PINCODES_API_MAX_ITEMS =
            Setting.of(
                    "pincodes.api-max-items",
                    INT,
                    "1000",
                    "Most items POST /v1/users/pincodes accepts; more is 413.");
    public static final Setting PINCODES_MAX_FUTURE =
            Setting.of(
                    "pincodes.max-future",
                    DURATION,
                    "1h",
                    "How far ahead of processing time a pincode update's occurredAt may be.");
    public static final Setting PINCODES_COPY_THRESHOLD =
            Setting.of(
                    "pincodes.copy-threshold",
                    INT,
                    "10000",
                    "Batches of at least this many distinct emails are written by COPY into a"
                            + " temporary table + one UPDATE ... FROM, smaller ones by one UPDATE"
                            + " ... FROM unnest; 0: always COPY.");
    public static final Setting LOCAL_PINCODES_PER_S =
            Setting.of(
                    "local.pincodes-per-s",
                    INT,
                    "200",
                    "Pincode updates the local traffic generator sends per second.");

    // --- topics -----------------------------------------------------------------------------
    public static final Topic<PincodeUpdate> PINCODE_UPDATES =
            Topic.json(
                    "pincode-updates",
                    PincodeUpdate.class,
                    "Pincode changes {email, pincode, occurredAt}, key = email.");
    public static final Topic<DeadLetter> PINCODE_UPDATES_DLQ =
            Topic.deadLetters(
                    "pincode-updates.dlq",
                    "Rejected pincode updates (malformed, invalid email or pincode).");
    public static final Topic<PincodeUpdate> PINCODE_UPDATES_UNKNOWN =
            Topic.json(
                    "pincode-updates.unknown",
                    PincodeUpdate.class,
                    "Pincode updates for emails no user has (transactional).");

    public static final CapabilityDefinition DEFINITION =
            CapabilityDefinition.named("pincodes", PincodesCapability.class)
                    .summary(
                            "Bulk pincode updates: one guarded set-based UPDATE per batch, fed by unnest or COPY by size.")
                    .job(
                            "pincode-updates",
                            "dev.shoppulse.jobs.pincodes.PincodeUpdateJob",
                            PINCODE_UPDATES,
                            PINCODE_UPDATES_DLQ,
                            PINCODE_UPDATES_UNKNOWN)
                    .routes("POST /v1/users/pincodes")
                    .localTraffic("dev.shoppulse.launcher.sql.PincodesLocal");

    /** The capability's Flink job: its name is also its consumer group and transactional id. */
    public static final JobDefinition JOB = DEFINITION.job();
}

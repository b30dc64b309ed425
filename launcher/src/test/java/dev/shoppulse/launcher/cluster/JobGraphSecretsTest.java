package dev.shoppulse.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.jobs.flink.JobSetup;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * No secret travels in a submitted job: every job of the catalogue is built with sentinel secrets
 * in its configuration, and neither the serialized job graph nor any vertex's configuration (which
 * holds the serialized operators) may contain them; operators read secrets from the TaskManager's
 * environment instead.
 */
class JobGraphSecretsTest {
    static final List<JobDefinition> JOBS = ClusterJobs.ALL;

    @ParameterizedTest(name = "{0}")
    @FieldSource("JOBS")
    void theSerializedJobGraphCarriesNoSecret(JobDefinition job) throws Exception {
        String redisPassword = "sentinel-redis-" + UUID.randomUUID();
        String postgresPassword = "sentinel-pg-" + UUID.randomUUID();
        // A non-secret every job's Kafka source carries: proves the operators' bytes are searched.
        String bootstrap = "visible-" + UUID.randomUUID() + ":9092";
        ShopPulseConfig config =
                ShopPulseConfig.load(
                        new String[] {"--kafka.bootstrap", bootstrap},
                        Map.of(
                                Settings.REDIS_PASSWORD.envName(), redisPassword,
                                Settings.POSTGRES_PASSWORD.envName(), postgresPassword));
        assertThat(config.get(Settings.REDIS_PASSWORD)).isEqualTo(redisPassword);
        assertThat(config.get(Settings.POSTGRES_PASSWORD)).isEqualTo(postgresPassword);

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        JobSetup.flinkConfiguration(config));
        Method build =
                Class.forName(job.entryClass())
                        .getMethod(
                                "build", StreamExecutionEnvironment.class, ShopPulseConfig.class);
        build.invoke(null, env, config);
        JobGraph graph = env.getStreamGraph().getJobGraph();

        List<Serialized> parts = new ArrayList<>();
        parts.add(new Serialized("job graph", InstantiationUtil.serializeObject(graph)));
        parts.add(
                new Serialized(
                        "job configuration",
                        InstantiationUtil.serializeObject(graph.getJobConfiguration())));
        parts.add(
                new Serialized(
                        "execution config", graph.getSerializedExecutionConfig().getByteArray()));
        for (JobVertex v : graph.getVertices()) {
            parts.add(
                    new Serialized(
                            "vertex " + v.getName(),
                            InstantiationUtil.serializeObject(v.getConfiguration())));
        }

        assertThat(parts.stream().anyMatch(p -> p.contains(bootstrap)))
                .as("the Kafka bootstrap of %s is found, so the search sees the operators", job)
                .isTrue();
        for (Serialized p : parts) {
            for (String secret : List.of(redisPassword, postgresPassword)) {
                assertThat(p.contains(secret))
                        .as(
                                "%s of job %s contains the secret %s",
                                p.what(), job.name(), secret.substring(0, 12))
                        .isFalse();
            }
        }
    }

    /** Bytes of one serialized part of the job, searched for a string in its encodings. */
    private record Serialized(String what, byte[] bytes) {
        boolean contains(String s) {
            return indexOf(bytes, s.getBytes(StandardCharsets.UTF_8)) >= 0
                    || indexOf(bytes, modifiedUtf8(s)) >= 0;
        }

        /** Java serialization's encoding of strings (equal to UTF-8 for ASCII). */
        private static byte[] modifiedUtf8(String s) {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                new DataOutputStream(out).writeUTF(s);
                byte[] withLength = out.toByteArray();
                byte[] body = new byte[withLength.length - 2];
                System.arraycopy(withLength, 2, body, 0, body.length);
                return body;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}

package dev.shoppulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.testing.TestTime;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./shoppulse local} as a user runs it: {@code Main} in a JVM of its own on the launcher's
 * runtime classpath ({@code target/classpath.txt}, what the script uses), not on the test
 * classpath. The in-process {@link LocalRunITCase} cannot see a class the local run needs only at
 * test scope (the test harness's broker once caught an Awaitility exception, which the runtime
 * classpath lacks, and the local run and every benchmark failed at start-up).
 */
class LocalMainProcessITCase {

    @Test
    @Timeout(360)
    void mainRunsOnItsRuntimeClasspathAndPrintsTheSummary(@TempDir Path dir) throws Exception {
        Path classpath = Path.of("target", "classpath.txt");
        assertThat(classpath).as("written at package, before the ITCases").exists();
        String schema = TestServices.uniqueId("main");
        String prefix = TestServices.uniqueId("mn");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The module openings Flink needs, as this JVM got them.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens"))
                .forEach(command::add);
        command.add("-Xmx2g");
        command.add("-Dshoppulse.log.file=" + dir.resolve("launcher.log"));
        command.add("-cp");
        command.add(
                Path.of("target", "classes")
                        + File.pathSeparator
                        + Files.readString(classpath).strip());
        command.addAll(
                List.of(
                        "dev.shoppulse.launcher.Main",
                        "local",
                        "--duration",
                        TestTime.setting(Duration.ofSeconds(5)),
                        "--local.drain-timeout",
                        "0s",
                        "--api.port",
                        "0",
                        "--postgres.schema",
                        schema,
                        "--redis.key-prefix",
                        prefix,
                        "--local.embedded",
                        "never",
                        "--checkpoint.dir",
                        dir.resolve("cp").toUri().toString()));
        Path out = dir.resolve("out.txt");
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        try {
            boolean ended = p.waitFor(TestTime.scaledMillis(150_000), TimeUnit.MILLISECONDS);
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(ended).as("the run ended; its output:%n%s", output).isTrue();
            assertThat(p.exitValue()).as("exit status; output:%n%s", output).isZero();
            assertThat(output)
                    .contains("SUMMARY elapsed_s=")
                    .doesNotContain("NoClassDefFoundError");
        } finally {
            p.destroyForcibly();
            TestServices.dropSchema(schema);
            TestServices.deleteRedisKeys(prefix);
        }
    }
}

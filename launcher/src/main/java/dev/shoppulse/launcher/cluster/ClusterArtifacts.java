package dev.shoppulse.launcher.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Finds what a cluster run needs in the build tree: the Flink processes' classpath ({@code
 * cluster/target/classpath.txt}) and the shaded job jar ({@code jobs/target/*-all.jar}).
 */
public final class ClusterArtifacts {
    private ClusterArtifacts() {}

    /**
     * The project root: the nearest directory up from the working directory with {@code cluster/}.
     */
    public static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("cluster")) && Files.isDirectory(p.resolve("jobs"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException(
                "not inside the ShopPulse source tree (no cluster/ and jobs/ above "
                        + Path.of("").toAbsolutePath()
                        + ")");
    }

    public static String flinkClasspath() throws IOException {
        Path file = projectRoot().resolve("cluster/target/classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(
                    file + " is missing: build it with mvn -B -q install -pl cluster");
        }
        return Files.readString(file).trim();
    }

    public static Path jobsJar() throws IOException {
        Path target = projectRoot().resolve("jobs/target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(
                            f -> f.getFileName().toString().matches("shoppulse-jobs-.*-all\\.jar"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "no shaded jar in "
                                                    + target
                                                    + ": build it with mvn -B -q package -pl jobs -am -DskipTests"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException(target + " is missing: build the jobs module first", e);
        }
    }
}

package dev.shoppulse.common.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The report store's layout on a (shared) directory: {@code <id>/parts/<day>.csv} per finished
 * shard and {@code <id>/<file>} for the result. Every file appears by an atomic rename of a
 * finished temporary file, so a reader (or a restarted job) never sees a half-written one.
 */
public record ReportFiles(Path root) {

    public Path dir(String reportId) {
        if (!reportId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("not a report id: " + reportId);
        }
        return root.resolve(reportId);
    }

    public Path part(String reportId, LocalDate day) {
        return dir(reportId).resolve("parts").resolve(day + ".csv");
    }

    /** The result file's name (relative to the report's directory). */
    public static String resultName(String reportId, boolean gzip) {
        return "report-" + reportId + (gzip ? ".csv.gz" : ".csv");
    }

    public Path result(String reportId, String name) {
        return dir(reportId).resolve(name);
    }

    /** Writes through a temporary file in the same directory, then renames it into place. */
    public static void writeAtomically(Path target, IoWriter writer) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
            try {
                writer.write(tmp);
                Files.move(
                        tmp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Deletes a report's directory (expiry). */
    public void delete(String reportId) {
        Path d = dir(reportId);
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file's content to a path. */
    @FunctionalInterface
    public interface IoWriter {
        void write(Path path) throws IOException;
    }
}

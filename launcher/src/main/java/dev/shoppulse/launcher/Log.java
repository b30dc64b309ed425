package dev.shoppulse.launcher;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * What the local run tells the person watching it: progress lines on standard output, kept apart
 * from the framework logs (which go to {@code .shoppulse/local.log}).
 */
final class Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final PrintStream OUT = System.out;

    private Log() {}

    static void info(String format, Object... args) {
        OUT.println(LocalTime.now().format(TIME) + "  " + String.format(format, args));
        OUT.flush();
    }

    /** A line exactly as given: SUMMARY must be machine-readable. */
    static void raw(String line) {
        OUT.println(line);
        OUT.flush();
    }
}

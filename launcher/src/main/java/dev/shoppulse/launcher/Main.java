package dev.shoppulse.launcher;

import dev.shoppulse.common.config.ConfigException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Entry point of {@code ./shoppulse}: {@code local [flags]} or {@code cluster [flags]}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage();
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "local" -> LocalRun.run(rest);
                case "cluster" -> dev.shoppulse.launcher.cluster.ClusterRun.run(rest);
                default -> {
                    System.err.println("unknown command '" + args[0] + "'");
                    usage();
                    System.exit(2);
                }
            }
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
        }
        // Shutdown hooks (Flink's, the services') must not hold the exit beyond the bound either.
        StopDeadline.arm("exit", Duration.ofSeconds(10), List::of, true);
        System.exit(0);
    }

    private static void usage() {
        System.out.println(
                """
                usage: ./shoppulse local [--duration 60s] [--<setting> value ...]
                       ./shoppulse cluster [--cluster.rest-port 8081] [--<setting> value ...]
                       ./shoppulse bench NAME [--<setting> value ...]
                       ./shoppulse test
                Settings and their defaults: README.md, "Configuration".""");
    }
}

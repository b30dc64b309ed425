package dev.shoppulse.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence of a bounded stop: once armed, if the stop has not finished within its
 * bound, it says which tasks are still running and halts the JVM. Graceful steps (cancel the jobs,
 * await them with a deadline) come first; this only catches what they could not end, such as a task
 * thread that ignores cancellation and interrupts.
 */
public final class StopDeadline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopDeadline.class);

    /** The thread group Flink runs every task thread in. */
    static final String FLINK_TASK_THREADS = "Flink Task Threads";

    /** Exit status of a hard stop, so scripts can tell it from a clean one. */
    public static final int HARD_STOP_STATUS = 3;

    /** The bound every stop promises: ./shoppulse local, cluster and bench exit within it. */
    public static final Duration BOUND = Duration.ofSeconds(30);

    private final Thread watchdog;
    private final long deadlineNanos;

    private StopDeadline(String what, Duration bound, Supplier<List<String>> stuck, boolean halt) {
        this.deadlineNanos = System.nanoTime() + bound.toNanos();
        this.watchdog =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(bound.toMillis());
                            } catch (InterruptedException e) {
                                return; // the stop finished in time
                            }
                            List<String> names = new ArrayList<>(stuck.get());
                            names.addAll(flinkTaskThreads());
                            String message =
                                    String.format(
                                            "HARD STOP: %s did not end within %d s; still running: %s",
                                            what,
                                            bound.toSeconds(),
                                            names.isEmpty() ? "(no Flink task)" : names);
                            LOG.error(message);
                            System.out.println(message);
                            System.out.flush();
                            if (halt) {
                                Runtime.getRuntime().halt(HARD_STOP_STATUS);
                            }
                        },
                        "stop-deadline");
        watchdog.setDaemon(true);
    }

    /**
     * Starts the clock: after {@code bound}, logs {@code what} with the still-running tasks ({@code
     * stuck} plus every live Flink task thread of this JVM) and, if {@code halt}, halts the JVM
     * with {@link #HARD_STOP_STATUS} (shutdown hooks do not run again: they may be what hangs).
     */
    public static StopDeadline arm(
            String what, Duration bound, Supplier<List<String>> stuck, boolean halt) {
        StopDeadline d = new StopDeadline(what, bound, stuck, halt);
        d.watchdog.start();
        return d;
    }

    /** What is left of the bound (never negative). */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** The stop finished: disarm. */
    @Override
    public void close() {
        watchdog.interrupt();
    }

    /** Names of the live task threads Flink runs in this JVM (e.g. {@code sequence (1/2)#0}). */
    static List<String> flinkTaskThreads() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            ThreadGroup g = e.getKey().getThreadGroup();
            if (g != null && FLINK_TASK_THREADS.equals(g.getName()) && e.getKey().isAlive()) {
                StackTraceElement[] st = e.getValue();
                out.add(
                        "thread '"
                                + e.getKey().getName()
                                + "'"
                                + (st.length > 0 ? " at " + st[0] : ""));
            }
        }
        return out;
    }
}

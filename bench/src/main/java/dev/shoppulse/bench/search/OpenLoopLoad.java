package dev.shoppulse.bench.search;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP load generator in the manner of wrk2: requests are due at fixed intervals on a
 * clock, whatever the server does, and each latency is measured from the request's <em>due</em>
 * time, not from when it could be sent. A server stall therefore counts for every request that was
 * due during it (no coordinated omission), which a closed loop (send, wait, send) hides.
 *
 * <p>Each connection is one thread with one keep-alive HTTP/1.1 connection and its own share of the
 * schedule (rate / connections, staggered so the whole is evenly spaced). A connection whose
 * response comes late sends its next due request at once. The first {@code warmup} of the schedule
 * is sent but not recorded. Latencies go into an HdrHistogram in microseconds (3 significant
 * digits).
 */
final class OpenLoopLoad {
    /** Longest latency recorded exactly; longer ones are clamped here and counted. */
    private static final long MAX_MICROS = Duration.ofMinutes(1).toNanos() / 1000;

    /** How far past the schedule's end a connection still catches up before it gives up. */
    private static final long GIVE_UP_AFTER = Duration.ofSeconds(10).toNanos();

    private OpenLoopLoad() {}

    /**
     * What one run measured.
     *
     * @param offeredPerS the schedule's rate
     * @param achievedPerS responses per second over the measured part of the schedule, from its
     *     first due time to the last response
     * @param requests measured requests
     * @param errors measured responses other than 200, and requests that failed
     * @param unsent requests due in the measured part that were never sent: the connection was
     *     still more than 10 s behind the schedule when it ended
     * @param firstError the first of those, for the message
     * @param latencyMicros latency from due time to the end of the response
     */
    record Outcome(
            double offeredPerS,
            double achievedPerS,
            long requests,
            long errors,
            long unsent,
            String firstError,
            Histogram latencyMicros) {
        double ms(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        String describe() {
            return String.format(
                            Locale.ROOT,
                            "offered %,.0f/s achieved %,.0f/s, %,d requests, %d errors, %d unsent:"
                                    + " p50 %.3f ms p99 %.3f ms p99.9 %.3f ms max %.3f ms",
                            offeredPerS,
                            achievedPerS,
                            requests,
                            errors,
                            unsent,
                            ms(50),
                            ms(99),
                            ms(99.9),
                            latencyMicros.getMaxValue() / 1000.0)
                    + (errors > 0 ? " (first error: " + firstError + ")" : "");
        }
    }

    /** Runs {@code warmup + measure} of the schedule of {@code request} against host:port. */
    static Outcome run(
            String host,
            int port,
            String request,
            double ratePerS,
            int connections,
            Duration warmup,
            Duration measure)
            throws Exception {
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        long gapNanos = Math.round(1e9 / ratePerS);
        // All connections share one origin, far enough ahead for every thread to be ready.
        long origin = System.nanoTime() + Duration.ofMillis(200).toNanos();
        long measureFrom = origin + warmup.toNanos();
        long until = measureFrom + measure.toNanos();
        List<Worker> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Worker w =
                    new Worker(
                            host,
                            port,
                            bytes,
                            origin + c * gapNanos,
                            gapNanos * connections,
                            measureFrom,
                            until);
            w.setName("open-loop-" + c);
            w.setDaemon(true);
            workers.add(w);
        }
        workers.forEach(Thread::start);
        Histogram all = new Histogram(MAX_MICROS, 3);
        long requests = 0;
        long errors = 0;
        long unsent = 0;
        long lastDone = measureFrom;
        String firstError = null;
        for (Worker w : workers) {
            w.join(Duration.ofMinutes(2).toMillis() + measure.toMillis() + warmup.toMillis());
            if (w.isAlive()) {
                w.interrupt();
                throw new IllegalStateException(w.getName() + " did not finish");
            }
            all.add(w.latency);
            requests += w.requests;
            errors += w.errors;
            unsent += w.unsent;
            lastDone = Math.max(lastDone, w.lastDone);
            if (firstError == null) {
                firstError = w.firstError;
            }
        }
        double seconds = (lastDone - measureFrom) / 1e9;
        return new Outcome(ratePerS, requests / seconds, requests, errors, unsent, firstError, all);
    }

    /** One connection's share of the schedule. */
    private static final class Worker extends Thread {
        private final String host;
        private final int port;
        private final byte[] request;
        private final long first;
        private final long interval;
        private final long measureFrom;
        private final long until;
        final Histogram latency = new Histogram(MAX_MICROS, 3);
        long requests;
        long errors;
        long lastDone;
        long unsent;
        String firstError;

        Worker(
                String host,
                int port,
                byte[] request,
                long first,
                long interval,
                long measureFrom,
                long until) {
            this.host = host;
            this.port = port;
            this.request = request;
            this.first = first;
            this.interval = interval;
            this.measureFrom = measureFrom;
            this.until = until;
        }

        @Override
        public void run() {
            Connection conn = null;
            for (long due = first; due < until; due += interval) {
                if (System.nanoTime() - until > GIVE_UP_AFTER) {
                    // Hopelessly behind: what is still due counts as never sent.
                    long from = Math.max(due, measureFrom);
                    unsent += (until - from + interval - 1) / interval;
                    break;
                }
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int status;
                String error = null;
                try {
                    if (conn == null) {
                        conn = new Connection(host, port);
                    }
                    status = conn.exchange(request);
                    if (!conn.keepAlive) {
                        conn.close();
                        conn = null;
                    }
                } catch (IOException e) {
                    status = -1;
                    error = e.toString();
                    if (conn != null) {
                        conn.close();
                    }
                    conn = null;
                }
                long done = System.nanoTime();
                if (due >= measureFrom) {
                    latency.recordValue(Math.min(MAX_MICROS, Math.max(0, (done - due) / 1000)));
                    requests++;
                    lastDone = done;
                    if (status != 200) {
                        errors++;
                        if (firstError == null) {
                            firstError = error != null ? error : "HTTP " + status;
                        }
                    }
                }
            }
            if (conn != null) {
                conn.close();
            }
        }
    }

    /** A keep-alive HTTP/1.1 client connection that reads Content-Length and chunked bodies. */
    static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final StringBuilder line = new StringBuilder(128);
        private final byte[] skip = new byte[8192];
        boolean keepAlive = true;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        /** Sends one request and reads its whole response; returns the status. */
        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String statusLine = readLine();
            if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            keepAlive = true;
            String h;
            while (!(h = readLine()).isEmpty()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" ->
                            chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
                    default -> {}
                }
            }
            if (chunked) {
                long size;
                while ((size = Long.parseLong(readLine().split(";", 2)[0].trim(), 16)) > 0) {
                    discard(size);
                    readLine();
                }
                while (!readLine().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                discard(length);
            } else if (status != 204 && status != 304) {
                throw new IOException("response without length");
            }
            return status;
        }

        private void discard(long n) throws IOException {
            while (n > 0) {
                int r = in.read(skip, 0, (int) Math.min(skip.length, n));
                if (r < 0) {
                    throw new IOException("connection closed in a body");
                }
                n -= r;
            }
        }

        private String readLine() throws IOException {
            line.setLength(0);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection the load is done with: nothing to do
            }
        }
    }
}

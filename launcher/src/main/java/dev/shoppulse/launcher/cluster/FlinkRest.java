package dev.shoppulse.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The slice of Flink's REST API that {@code flink run}, {@code flink stop} and {@code flink cancel}
 * use: upload a jar, run an entry class from it (optionally from a savepoint), stop with a
 * savepoint, cancel, and the status queries a test or an operator waits on.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Duration requestTimeout;

    public FlinkRest(URI base) {
        this(base, Duration.ofSeconds(60));
    }

    /** A client whose every request gives up after {@code requestTimeout}. */
    public FlinkRest(URI base, Duration requestTimeout) {
        this.base = base;
        this.requestTimeout = requestTimeout;
    }

    /** {@code POST /jars/upload}; returns the jar id later runs refer to. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "shoppulse-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode r =
                send(
                        HttpRequest.newBuilder(base.resolve("/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = r.path("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /**
     * {@code POST /jars/{id}/run}: runs {@code entryClass}'s main in the JobManager, as {@code
     * flink run -c entryClass -p parallelism [-s savepoint] jar args} does; returns the job id.
     */
    public String run(
            String jarId,
            String entryClass,
            List<String> programArgs,
            int parallelism,
            String savepointPath)
            throws IOException, InterruptedException {
        ObjectNode req = JSON.createObjectNode();
        req.put("entryClass", entryClass);
        req.putPOJO("programArgsList", programArgs);
        req.put("parallelism", parallelism);
        if (savepointPath != null) {
            req.put("savepointPath", savepointPath);
            // An upgrade must restore every operator's state; dropping some is a failure.
            req.put("allowNonRestoredState", false);
        }
        JsonNode r =
                send(
                        HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(req.toString())));
        return r.path("jobid").asText();
    }

    /** {@code GET /jobs/{id}}: RUNNING, RESTARTING, FINISHED, ... */
    public String jobState(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Whether every task of the job is RUNNING (a job can be RUNNING while tasks are deployed). */
    public boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        if (!job.path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            if (!v.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    /** Completed checkpoints so far ({@code GET /jobs/{id}/checkpoints}, counts.completed). */
    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** How often the job restarted ({@code GET /jobs/{id}/checkpoints} has no such field). */
    public long restarts(String jobId) throws IOException, InterruptedException {
        JsonNode exceptions = get("/jobs/" + jobId + "/exceptions");
        return exceptions.path("exceptionHistory").path("entries").size();
    }

    public int taskManagers() throws IOException, InterruptedException {
        return get("/taskmanagers").path("taskmanagers").size();
    }

    /** Ids of the TaskManagers currently registered. */
    public List<String> taskManagerIds() throws IOException, InterruptedException {
        return java.util.stream.StreamSupport.stream(
                        get("/taskmanagers").path("taskmanagers").spliterator(), false)
                .map(t -> t.path("id").asText())
                .toList();
    }

    /**
     * {@code POST /jobs/{id}/stop}, then polls the trigger until the savepoint completes; returns
     * its location. The job ends FINISHED.
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
            throws IOException, InterruptedException {
        ObjectNode req = JSON.createObjectNode();
        req.put("targetDirectory", targetDirectory);
        req.put("drain", false);
        String trigger =
                send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "/stop"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(req.toString())))
                        .path("request-id")
                        .asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode s = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if (s.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode op = s.path("operation");
                if (op.has("failure-cause")) {
                    throw new IOException("stop-with-savepoint failed: " + op.get("failure-cause"));
                }
                return op.path("location").asText();
            }
            Thread.sleep(200);
        }
        throw new IOException("stop-with-savepoint of " + jobId + " did not finish in " + timeout);
    }

    /** {@code PATCH /jobs/{id}?mode=cancel}. */
    public void cancel(String jobId) throws IOException, InterruptedException {
        send(
                HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    private static final java.util.Set<String> ENDED =
            java.util.Set.of("FINISHED", "CANCELED", "FAILED");

    /**
     * {@code job name / vertex name STATUS} for every vertex of the job that has not ended (e.g. a
     * task stuck in CANCELING).
     */
    public List<String> unfinishedTasks(String jobId) throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode v : job.path("vertices")) {
            String status = v.path("status").asText();
            if (!ENDED.contains(status)) {
                out.add(job.path("name").asText() + " / " + v.path("name").asText() + " " + status);
            }
        }
        return out;
    }

    /**
     * Cancels the jobs and waits until each has ended or {@code timeout} passed; returns the tasks
     * still running then (empty when every job ended). Never waits longer, whatever a task does.
     */
    public List<String> cancelAll(java.util.Collection<String> jobIds, Duration timeout)
            throws InterruptedException {
        if (requestTimeout.compareTo(Duration.ofSeconds(3)) > 0) {
            // A JobManager that hangs must not hold the stop up for a minute per request.
            return new FlinkRest(base, Duration.ofSeconds(3)).cancelAll(jobIds, timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : jobIds) {
            try {
                cancel(id);
            } catch (IOException e) {
                // Already ended (a finished job cannot be cancelled) or the JobManager is gone.
            }
        }
        List<String> stuck = new java.util.ArrayList<>();
        for (String id : jobIds) {
            while (true) {
                List<String> left;
                try {
                    left = ENDED.contains(jobState(id)) ? List.of() : unfinishedTasks(id);
                } catch (IOException e) {
                    left = List.of(); // unknown job or no JobManager: nothing of it runs here
                }
                if (left.isEmpty()) {
                    break;
                }
                if (System.nanoTime() >= deadline) {
                    stuck.addAll(left);
                    break;
                }
                Thread.sleep(200);
            }
        }
        return stuck;
    }

    /** Waits until the REST endpoint answers. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                get("/overview");
                return;
            } catch (ConnectException | RestException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("Flink REST at " + base + " not up in " + timeout, e);
                }
                Thread.sleep(250);
            }
        }
    }

    /** Waits until at least {@code n} TaskManagers have registered. */
    public void awaitTaskManagers(int n, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taskManagers() < n) {
            if (System.nanoTime() > deadline) {
                throw new IOException(n + " TaskManagers did not register in " + timeout);
            }
            Thread.sleep(250);
        }
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        request.timeout(requestTimeout).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new RestException(
                    r.request().method()
                            + " "
                            + r.request().uri()
                            + " → "
                            + r.statusCode()
                            + ": "
                            + r.body());
        }
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    /** A non-2xx answer from the REST API, with its body (Flink puts the cause there). */
    public static final class RestException extends IOException {
        RestException(String message) {
            super(message);
        }
    }
}

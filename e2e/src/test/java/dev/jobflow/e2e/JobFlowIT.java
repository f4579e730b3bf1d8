package dev.jobflow.e2e;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.ServiceStack;

/**
 * Issue 2's promise, end to end: the three services as separate processes from their built
 * artifacts on a fresh database (the stack this class shares with AccessIT and JobMonitorPageIT, see
 * {@link SharedStack}); a {@code demo} job submitted over HTTP; its progress received
 * over a real WebSocket up to 100 and COMPLETED; COMPLETED read back over REST. The same stack
 * exports its traces to a real OTLP/HTTP receiver (issue 18: one trace from the submit through the
 * claim, the run, the handler's spans and each progress write) and serves every metric the Grafana
 * dashboard and the alert rules in the chart name.
 */
class JobFlowIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern METRIC = Pattern.compile("\\bjobflow_[a-z0-9_]+");
    private static OtlpReceiver otlp;
    private static ServiceStack stack;
    private static String apiKey;

    @BeforeAll
    static void start() throws Exception {
        otlp = SharedStack.otlp();
        stack = SharedStack.stack();
        apiKey = stack.db().createJobApiKey("e2e-flow");
    }

    @Test
    void aSubmitIsOneTraceThroughTheClaimTheRunTheHandlersSpansEachProgressWriteAndTheHubsDelivery() throws Exception {
        JsonObject job = post(stack.api().baseUrl() + "/api/v1/jobs", """
                {"name": "traced", "owner": "alice", "type": "demo", "params": {"duration": 0.6, "step": 0.2}}""");
        long id = job.getLong("id");

        until("the run span of job " + id + " exported", Duration.ofSeconds(60),
                () -> spansOf(id).stream().anyMatch(s -> s.name().equals("jobflow run demo")));
        until("its progress spans exported", Duration.ofSeconds(30),
                () -> spansOf(id).stream().filter(s -> s.name().equals("jobflow progress")).count() >= 2);
        List<OtlpReceiver.Span> all = otlp.spans();
        OtlpReceiver.Span claim = one(id, "jobflow claim");
        OtlpReceiver.Span run = one(id, "jobflow run demo");
        OtlpReceiver.Span submit = all.stream().filter(s -> s.spanId().equals(claim.parentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("the claim's parent span was not exported: " + all));

        assertThat(otlp.paths()).as("OTLP/HTTP export path").allMatch(path -> path.endsWith("/v1/traces"));
        assertThat(submit.service()).isEqualTo("job-api");
        assertThat(submit.name()).isEqualTo("POST /api/v1/jobs");
        assertThat(claim.service()).isEqualTo("dispatcher");
        assertThat(run.parentSpanId()).isEqualTo(claim.spanId());
        List<OtlpReceiver.Span> steps = all.stream().filter(s -> s.name().equals("demo step")
                && s.parentSpanId().equals(run.spanId())).toList();
        assertThat(steps).as("the handler's own spans under the run").hasSizeGreaterThanOrEqualTo(2);
        List<OtlpReceiver.Span> progress = spansOf(id).stream().filter(s -> s.name().equals("jobflow progress")).toList();
        assertThat(progress).extracting(OtlpReceiver.Span::parentSpanId).as("each progress write under its step")
                .allMatch(parent -> steps.stream().anyMatch(step -> step.spanId().equals(parent)));
        assertThat(List.of(submit, claim, run, steps.get(0), progress.get(0))).extracting(OtlpReceiver.Span::traceId)
                .as("one trace").containsOnly(submit.traceId());

        // the hub's fan-out of each of the job's events (submitted, running, progress..., completed)
        until("the hub's delivery spans exported", Duration.ofSeconds(30),
                () -> spansOf(id).stream().filter(s -> s.name().equals("jobflow deliver")).count() >= 4);
        List<OtlpReceiver.Span> deliveries = spansOf(id).stream().filter(s -> s.name().equals("jobflow deliver"))
                .toList();
        assertThat(deliveries).allSatisfy(delivery -> {
            assertThat(delivery.service()).isEqualTo("progress-hub");
            assertThat(delivery.traceId()).isEqualTo(submit.traceId());
            assertThat(delivery.parentSpanId()).as("under the submit's span").isEqualTo(submit.spanId());
        });
    }

    @Test
    void everyMetricTheDashboardAndTheAlertRulesNameIsOnTheServicesMetrics() throws Exception {
        Path chart = ServiceProcess.module("k8s").resolve("jobflow");
        Set<String> named = new TreeSet<>();
        for (Path file : List.of(chart.resolve("dashboards/jobflow.json"), chart.resolve("alerts/jobflow-rules.yaml"))) {
            METRIC.matcher(Files.readString(file)).results().map(MatchResult::group).forEach(named::add);
        }
        assertThat(named).as("the dashboard and the rules name metrics").hasSizeGreaterThan(15);
        // a queue with a cap makes the per-queue cap series exist (a queue without one has none)
        HttpResponse<String> capped = HTTP.send(HttpRequest.newBuilder(URI.create(stack.api().baseUrl()
                + "/api/v1/queues/capped")).header("content-type", "application/json")
                .header("Authorization", "Bearer " + apiKey).PUT(HttpRequest.BodyPublishers.ofString("{\"cap\": 2}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(capped.statusCode()).as(capped.body()).isBetween(200, 201);
        // a finished job makes the per-outcome series exist
        long id = post(stack.api().baseUrl() + "/api/v1/jobs", """
                {"name": "metrics", "owner": "alice", "type": "demo", "params": {"duration": 0}}""").getLong("id");
        until("job " + id + " completed", Duration.ofSeconds(60),
                () -> "COMPLETED".equals(get(stack.api().baseUrl() + "/api/v1/jobs/" + id).getString("status")));
        Set<String> missing = new TreeSet<>(named);
        try {
            until("every named metric on /q/metrics", Duration.ofSeconds(30), () -> {
                missing.removeAll(exposed());
                return missing.isEmpty();
            });
        } catch (AssertionError e) {
            assertThat(missing).as("metrics named by the dashboard or the rules but not served").isEmpty();
        }
    }

    private static Set<String> exposed() {
        Set<String> names = new TreeSet<>();
        for (ServiceProcess service : List.of(stack.api(), stack.dispatcher(), stack.hub())) {
            String text = getText(service.baseUrl() + "/q/metrics");
            text.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                    .map(line -> line.split("[{ ]", 2)[0]).forEach(names::add);
        }
        return names;
    }

    private static List<OtlpReceiver.Span> spansOf(long id) {
        return otlp.spans().stream().filter(s -> Long.valueOf(id).equals(s.attributes().get("jobflow.job.id"))).toList();
    }

    private static OtlpReceiver.Span one(long id, String name) {
        List<OtlpReceiver.Span> found = spansOf(id).stream().filter(s -> s.name().equals(name)).toList();
        assertThat(found).as(name + " of job " + id).hasSize(1);
        return found.get(0);
    }

    @Test
    void aDemoJobGoesFromSubmittedToCompletedLive() throws Exception {
        String token = post(stack.api().baseUrl() + "/api/v1/tokens", "{\"user\": \"alice\"}").getString("token");
        Frames frames = new Frames();
        WebSocket socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(stack.hub().baseUrl().replaceFirst("^http", "ws") + "/ws?token=" + token), frames)
                .get(10, TimeUnit.SECONDS);
        socket.sendText(new JsonObject().put("type", "subscribe").put("room", "user:alice").encode(), true)
                .get(10, TimeUnit.SECONDS);
        frames.await(f -> "subscribed".equals(f.getString("type")), Duration.ofSeconds(10));

        JsonObject job = post(stack.api().baseUrl() + "/api/v1/jobs", """
                {"name": "e2e", "owner": "alice", "type": "demo", "params": {"duration": 2, "step": 0.5}}""");
        long id = job.getLong("id");
        assertThat(job.getString("status")).isEqualTo("QUEUED");

        JsonObject last = frames.await(f -> isJob(f, id) && "COMPLETED".equals(data(f).getString("status")),
                Duration.ofSeconds(60));
        List<JsonObject> progress = frames.all().stream().filter(f -> isJob(f, id)).map(JobFlowIT::data).toList();
        assertThat(progress).extracting(d -> d.getString("status")).startsWith("QUEUED", "RUNNING").endsWith("COMPLETED");
        assertThat(progress).extracting(d -> d.getInteger("pct")).isSorted().contains(100);
        assertThat(progress.stream().filter(d -> "RUNNING".equals(d.getString("status"))).count())
                .as("several progress steps while running").isGreaterThanOrEqualTo(3);
        assertThat(data(last).getInteger("pct")).isEqualTo(100);
        List<Long> offsets = frames.all().stream().filter(f -> isJob(f, id)).map(f -> f.getLong("offset")).toList();
        assertThat(offsets).isSorted().doesNotHaveDuplicates();

        JsonObject done = get(stack.api().baseUrl() + "/api/v1/jobs/" + id);
        assertThat(done.getString("status")).isEqualTo("COMPLETED");
        assertThat(done.getInteger("progressPct")).isEqualTo(100);
        assertThat(done.getString("finishedAt")).isNotNull();
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    /** Issue 14: a failed job retried in place keeps its id; its two attempts are its two runs. */
    @Test
    void aFailJobRetriedInPlaceKeepsItsIdAndShowsTwoRuns() throws Exception {
        long id = post(stack.api().baseUrl() + "/api/v1/jobs", """
                {"name": "flaky", "owner": "alice", "type": "fail", "maxAttempts": 1,
                 "params": {"succeed_on_attempt": 2}}""").getLong("id");
        until("job " + id + " failed", Duration.ofSeconds(60), () -> job(id),
                job -> "FAILED".equals(job.getString("status")));

        JsonObject retried = post(stack.api().baseUrl() + "/api/v1/jobs/" + id + "/retry", "");
        assertThat(retried.getLong("id")).isEqualTo(id);
        assertThat(retried.getString("status")).isEqualTo("QUEUED");
        JsonObject done = until("job " + id + " completed on its retry", Duration.ofSeconds(60),
                () -> job(id), job -> "COMPLETED".equals(job.getString("status")));
        assertThat(done.getInteger("attempts")).isEqualTo(2);
        List<JsonObject> runs = items(get(stack.api().baseUrl() + "/api/v1/jobs/" + id + "/runs"));
        assertThat(runs).extracting(r -> r.getInteger("attempt")).containsExactly(1, 2);
        assertThat(runs).extracting(r -> r.getString("outcome")).containsExactly("FAILED", "COMPLETED");
        assertThat(runs.get(0).getString("error")).contains("failing on purpose");
        assertThat(get(stack.api().baseUrl() + "/api/v1/jobs?q=flaky").getJsonArray("items").getJsonObject(0)
                .getLong("id")).as("found by its name").isEqualTo(id);
    }

    /** Issue 14: a demo job's log lines and result over REST, and the same lines live in job:{id}. */
    @Test
    void aDemoJobsLogsAndResultComeBackOverRestAndArriveLive() throws Exception {
        long id = post(stack.api().baseUrl() + "/api/v1/jobs", """
                {"name": "logged", "owner": "alice", "type": "demo", "params": {"duration": 2, "step": 0.5}}""")
                .getLong("id");
        String token = post(stack.api().baseUrl() + "/api/v1/tokens", "{\"user\": \"alice\"}").getString("token");
        Frames frames = new Frames();
        WebSocket socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(stack.hub().baseUrl().replaceFirst("^http", "ws") + "/ws"), frames)
                .get(10, TimeUnit.SECONDS);
        socket.sendText(new JsonObject().put("type", "auth").put("token", token).encode(), true).get(10, TimeUnit.SECONDS);
        frames.await(f -> "authenticated".equals(f.getString("type")), Duration.ofSeconds(10));
        // since 0: the room from its start, then live (a line written before the subscription is not missed)
        socket.sendText(new JsonObject().put("type", "subscribe").put("room", "job:" + id).put("since", 0).encode(), true)
                .get(10, TimeUnit.SECONDS);
        frames.await(f -> isJob(f, id) && "COMPLETED".equals(data(f).getString("status")), Duration.ofSeconds(60));

        JsonObject done = get(stack.api().baseUrl() + "/api/v1/jobs/" + id);
        assertThat(done.getJsonObject("result").getInteger("steps")).isPositive();
        List<JsonObject> lines = items(get(stack.api().baseUrl() + "/api/v1/jobs/" + id + "/logs"));
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line.getString("message")).startsWith("step "));
        List<JsonObject> live = frames.all().stream().filter(f -> isJob(f, id) && data(f).containsKey("log"))
                .map(f -> data(f).getJsonObject("log")).toList();
        assertThat(live).extracting(l -> l.getLong("id")).as("the same lines, in order, live")
                .containsExactlyElementsOf(lines.stream().map(l -> l.getLong("id")).toList());
        assertThat(live).extracting(l -> l.getString("message"))
                .containsExactlyElementsOf(lines.stream().map(l -> l.getString("message")).toList());
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    private static JsonObject job(long id) {
        try {
            return get(stack.api().baseUrl() + "/api/v1/jobs/" + id);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonObject> items(JsonObject page) {
        return page.getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    }

    static boolean isJob(JsonObject frame, long id) {
        return "message".equals(frame.getString("type")) && data(frame).getLong("job_id", -1L) == id;
    }

    static JsonObject data(JsonObject frame) {
        return frame.getJsonObject("data", new JsonObject());
    }

    private static JsonObject post(String url, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("content-type", "application/json").header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isBetween(200, 201);
        return new JsonObject(response.body());
    }

    private static String getText(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + apiKey).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(url).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject get(String url) {
        return new JsonObject(getText(url));
    }

    /** Collects every text frame the socket receives. */
    static final class Frames implements WebSocket.Listener {
        private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        List<JsonObject> all() {
            return List.copyOf(frames);
        }

        JsonObject await(java.util.function.Predicate<JsonObject> condition, Duration timeout)
                throws InterruptedException {
            return until("a matching frame among " + frames, timeout,
                    () -> frames.stream().filter(condition).findFirst(), java.util.Optional::isPresent).orElseThrow();
        }
    }
}

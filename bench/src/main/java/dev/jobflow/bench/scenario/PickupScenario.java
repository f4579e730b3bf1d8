package dev.jobflow.bench.scenario;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.jobflow.bench.core.Await;
import dev.jobflow.bench.core.BenchStack;
import dev.jobflow.bench.core.JobTimes;
import dev.jobflow.bench.core.Latencies;
import dev.jobflow.bench.core.Options;
import dev.jobflow.bench.core.Probe;
import dev.jobflow.bench.core.Report;
import dev.jobflow.bench.core.ServiceSettings;
import dev.jobflow.testing.ServiceProcess;

/**
 * Pick-up latency: no-op jobs submitted over HTTP to job-api at a steady rate (open loop) while
 * one idle dispatcher waits; latency = the job's created_at (its insert transaction) to its
 * started_at (the claim), both from the database clock.
 */
public final class PickupScenario implements Scenario {
    private static final String BODY = "{\"name\":\"bench\",\"owner\":\"bench\",\"type\":\"noop\",\"params\":{}}";

    @Override
    public String name() {
        return "pickup";
    }

    @Override
    public String description() {
        return "pick-up latency: submit over HTTP at a steady rate, created_at (insert tx) -> started_at (claim)";
    }

    @Override
    public List<String> needs() {
        return List.of("job-api", "dispatcher");
    }

    @Override
    public Report run(Options o, boolean smoke) throws Exception {
        int rate = o.integer("rate", smoke ? 20 : 50);
        Duration duration = o.duration("duration", Duration.ofSeconds(smoke ? 3 : 60));
        int slots = o.integer("slots", 8);
        Duration warmup = o.duration("warmup", Duration.ofSeconds(smoke ? 1 : 10));
        boolean profile = Boolean.parseBoolean(o.string("profile", String.valueOf(!smoke)));
        Report report = new Report(name(), description()).parameters(o.used());
        try (BenchStack stack = BenchStack.create("pickup")) {
            ServiceProcess api = stack.launch("job-api", Map.of());
            ServiceProcess dispatcher = stack.launch("dispatcher", ServiceSettings.dispatcher(slots, null));
            api.awaitReady(BenchStack.READY);
            dispatcher.awaitReady(BenchStack.READY);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest post = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/jobs"))
                    .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + stack.db().createJobApiKey("bench"))
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
            int warm = submit(http, post, rate, (int) (rate * warmup.toMillis() / 1000), new Latencies());
            Await.count(stack, "select count(*) from jobs where status = 'COMPLETED'", warm, null,
                    Duration.ofSeconds(60));
            long afterWarmup = stack.count("select coalesce(max(id), 0) from jobs");
            int total = (int) (rate * duration.toMillis() / 1000);
            Latencies submitLatency = new Latencies();
            Probe probe = Probe.start(stack, Map.of("job_api", List.of(api), "dispatcher", List.of(dispatcher)),
                    profile);
            int accepted = submit(http, post, rate, total, submitLatency);
            long[] done = Await.count(stack, "select count(*) from jobs where status = 'COMPLETED' and id > "
                    + afterWarmup, accepted, null, Duration.ofSeconds(60));
            Map<String, Object> cpu = probe.finish(report, "");
            report.breakdown("cpu_per_job", Probe.perUnit(cpu, accepted, "job"));
            Latencies pickup = new Latencies();
            JobTimes.pickupLatencies(stack, pickup, afterWarmup);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rate_per_s", rate);
            row.put("submitted", total);
            row.put("accepted", accepted);
            row.put("picked_up", pickup.count());
            row.putAll(pickup.summary("pickup_"));
            row.putAll(submitLatency.summary("http_submit_"));
            row.put("check", done[0] == accepted && accepted == total ? "ok"
                    : "MISMATCH: " + done[0] + " completed of " + accepted + " accepted of " + total);
            report.row(row);
            report.note("path: job-api's INSERT commits with its NOTIFY (V027); the dispatcher's LISTEN wakes its"
                    + " cycle, which claims with FOR UPDATE SKIP LOCKED; created_at is the insert transaction's start,"
                    + " so pick-up includes the commit itself");
        }
        return report;
    }

    /** Open loop: {@code total} submits at {@code rate} per second; returns how many were accepted (201). */
    private static int submit(HttpClient http, HttpRequest post, int rate, int total, Latencies latencies) {
        AtomicInteger accepted = new AtomicInteger();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < total; i++) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += interval;
            long t0 = System.nanoTime();
            inFlight.add(http.sendAsync(post, HttpResponse.BodyHandlers.discarding()).thenAccept(r -> {
                latencies.recordNanos(System.nanoTime() - t0);
                if (r.statusCode() == 201) {
                    accepted.incrementAndGet();
                }
            }).exceptionally(e -> null));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        return accepted.get();
    }
}

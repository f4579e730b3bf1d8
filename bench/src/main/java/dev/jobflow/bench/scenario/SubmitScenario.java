package dev.jobflow.bench.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.core.Vertx;

import dev.jobflow.bench.core.BenchStack;
import dev.jobflow.bench.core.ClosedLoop;
import dev.jobflow.bench.core.HttpLoad;
import dev.jobflow.bench.core.Latencies;
import dev.jobflow.bench.core.Options;
import dev.jobflow.bench.core.Probe;
import dev.jobflow.bench.core.Report;
import dev.jobflow.bench.core.StoreClient;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.testing.ServiceProcess;

/**
 * Submit throughput: concurrent keep-alive HTTP clients posting no-op jobs to a real job-api
 * process, and for comparison the same submits straight into the store from the bench JVM (the
 * database's share without HTTP and JSON); then batches of many jobs per request
 * ({@code POST /api/v1/jobs/batch}, one transaction each).
 */
public final class SubmitScenario implements Scenario {
    private static final String BODY = "{\"name\":\"bench\",\"owner\":\"bench\",\"type\":\"noop\",\"params\":{}}";

    @Override
    public String name() {
        return "submit";
    }

    @Override
    public String description() {
        return "submit throughput: HTTP POST /api/v1/jobs (keep-alive, concurrent clients) and store-only";
    }

    @Override
    public List<String> needs() {
        return List.of("job-api");
    }

    @Override
    public Report run(Options o, boolean smoke) throws Exception {
        int clients = o.integer("clients", smoke ? 4 : 32);
        int requests = o.integer("requests", smoke ? 200 : 20_000);
        int warmup = o.integer("warmup", smoke ? 50 : 20_000); // job-api compiles for ~10 s (§2j)
        Duration maxTime = o.duration("max-time", Duration.ofSeconds(smoke ? 30 : 120));
        boolean profile = Boolean.parseBoolean(o.string("profile", String.valueOf(!smoke)));
        int batchSize = o.integer("batch-size", smoke ? 50 : 1_000);
        int batchClients = o.integer("batch-clients", smoke ? 2 : 4);
        int batches = o.integer("batches", smoke ? 10 : 200);
        Report report = new Report(name(), description()).parameters(o.used());
        Vertx vertx = Vertx.vertx();
        try (BenchStack stack = BenchStack.create("submit");
                HttpLoad http = new HttpLoad(vertx, Math.max(clients, batchClients), Duration.ofSeconds(30))) {
            ServiceProcess api = stack.start("job-api", Map.of());
            Map<String, String> headers = Map.of("content-type", "application/json",
                    "Authorization", "Bearer " + stack.db().createJobApiKey("bench"));
            String url = api.baseUrl() + "/api/v1/jobs";
            Buffer body = Buffer.buffer(BODY);
            ClosedLoop.Call submit = n -> http.post(url, headers, body) == 201;

            ClosedLoop.run(clients, warmup, maxTime, null, submit);
            Latencies latencies = new Latencies();
            Probe probe = Probe.start(stack, Map.of("job_api", List.of(api)), profile);
            ClosedLoop.Outcome outcome = ClosedLoop.run(clients, requests, maxTime, latencies, submit);
            Map<String, Object> cpu = probe.finish(report, "http_");
            report.row(row("HTTP POST /api/v1/jobs", clients, outcome, latencies));
            report.breakdown("cpu_per_job_http", Probe.perUnit(cpu, outcome.ok(), "job"));
            long httpJobs = stack.count("select count(*) from jobs");

            try (StoreClient store = StoreClient.open(vertx, stack.db(), clients)) {
                NewJob job = NewJob.of("bench", "bench", "noop", Map.of());
                ClosedLoop.Call direct = n -> store.store().submitJob(job).await().atMost(Duration.ofSeconds(30))
                        .created();
                ClosedLoop.run(clients, warmup, maxTime, null, direct);
                Latencies storeLatencies = new Latencies();
                Probe storeProbe = Probe.start(stack, Map.of(), false);
                ClosedLoop.Outcome storeOutcome = ClosedLoop.run(clients, requests, maxTime, storeLatencies, direct);
                Map<String, Object> storeCpu = storeProbe.finish(report, "store_only_");
                report.row(row("store.submitJob (no HTTP)", clients, storeOutcome, storeLatencies));
                report.breakdown("cpu_per_job_store_only", Probe.perUnit(storeCpu, storeOutcome.ok(), "job"));
            }
            report.breakdown("jobs_in_database_after_http_phase", httpJobs);

            Buffer batchBody = Buffer.buffer(
                    "{\"jobs\":[" + String.join(",", java.util.Collections.nCopies(batchSize, BODY)) + "]}");
            String batchUrl = api.baseUrl() + "/api/v1/jobs/batch";
            ClosedLoop.Call submitBatch = n -> http.post(batchUrl, headers, batchBody) == 201;
            ClosedLoop.run(batchClients, Math.max(1, batches / 10), maxTime, null, submitBatch);
            long beforeBatches = stack.count("select count(*) from jobs");
            Latencies batchLatencies = new Latencies();
            Probe batchProbe = Probe.start(stack, Map.of("job_api", List.of(api)), profile);
            ClosedLoop.Outcome batchOutcome = ClosedLoop.run(batchClients, batches, maxTime, batchLatencies,
                    submitBatch);
            Map<String, Object> batchCpu = batchProbe.finish(report, "batch_");
            Map<String, Object> batchRow = row("HTTP POST /api/v1/jobs/batch (" + batchSize + " per request)",
                    batchClients, batchOutcome, batchLatencies);
            long written = stack.count("select count(*) from jobs") - beforeBatches;
            batchRow.put("jobs_per_s", Math.round(batchOutcome.perSecond() * batchSize));
            // every accepted batch wrote all its jobs, and nothing else was written
            batchRow.put("check", batchOutcome.errors() == 0 && written == (long) batchOutcome.ok() * batchSize ? "ok"
                    : "written " + written + " for " + batchOutcome.ok() + " batches, " + batchOutcome.errors()
                            + " errors");
            report.row(batchRow);
            report.breakdown("cpu_per_job_batch", Probe.perUnit(batchCpu, (long) batchOutcome.ok() * batchSize, "job"));
            if (outcome.firstError() != null) {
                report.note("first error: " + outcome.firstError());
            }
            report.note("a batch is one INSERT over unnest arrays (+ its statement trigger) and one COMMIT;"
                    + " its row's ok counts requests, jobs_per_s counts jobs");
            report.note("concurrent submits share one INSERT over unnest arrays (+ its statement trigger: progress rows,"
                    + " outbox events, the dispatchers' NOTIFY) and one COMMIT with their audit rows (group commit)");
        } finally {
            vertx.closeAndAwait();
        }
        return report;
    }

    private static Map<String, Object> row(String path, int clients, ClosedLoop.Outcome outcome, Latencies latencies) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("path", path);
        row.put("clients", clients);
        row.put("ok", outcome.ok());
        row.put("errors", outcome.errors());
        row.put("seconds", Report.round(outcome.seconds()));
        row.put("jobs_per_s", Math.round(outcome.perSecond()));
        row.putAll(latencies.summary(""));
        return row;
    }
}

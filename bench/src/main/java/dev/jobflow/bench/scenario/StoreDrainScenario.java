package dev.jobflow.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

import dev.jobflow.bench.core.Backlog;
import dev.jobflow.bench.core.BenchStack;
import dev.jobflow.bench.core.Latencies;
import dev.jobflow.bench.core.Options;
import dev.jobflow.bench.core.Probe;
import dev.jobflow.bench.core.Report;
import dev.jobflow.bench.core.StoreClient;
import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;

/**
 * Store-level drain: a preloaded backlog of no-op jobs worked off by N claimer threads that call
 * the PostgreSQL store directly (claim up to a batch, complete each, repeat): the database's share
 * of draining, with no dispatcher process, handler or heartbeat in between. Each claimer has its own
 * connection pool, as separate dispatcher processes would.
 */
public final class StoreDrainScenario implements Scenario {
    private static final Duration LEASE = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "store-drain";
    }

    @Override
    public String description() {
        return "store-level drain: preloaded no-op backlog, N claimer threads on PgJobStore (claim batch, complete)";
    }

    @Override
    public List<String> needs() {
        return List.of();
    }

    @Override
    public Report run(Options o, boolean smoke) throws Exception {
        int jobs = o.integer("jobs", smoke ? 300 : 20_000);
        List<Integer> claimerCounts = o.integers("claimers", smoke ? "1,3" : "1,3,8");
        int batch = o.integer("batch", 10);
        List<String> caps = o.words("cap", smoke ? "none" : "none,1000");
        int repeat = o.integer("repeat", 1);
        Duration maxTime = o.duration("max-time", Duration.ofSeconds(smoke ? 30 : 300));
        Report report = new Report(name(), description()).parameters(o.used());
        Vertx vertx = Vertx.vertx();
        try {
            for (int r = 0; r < repeat; r++) { // interleaved, so drift in the machine's load hits every variant
                for (int claimers : claimerCounts) {
                    for (String cap : caps) {
                        OptionalInt globalCap = cap.equals("none") ? OptionalInt.empty()
                                : OptionalInt.of(Integer.parseInt(cap));
                        report.row(drain(vertx, report, jobs, claimers, batch, globalCap, maxTime));
                    }
                }
            }
        } finally {
            vertx.closeAndAwait();
        }
        report.note("claim = one statement (select ... for update skip locked + update, returning); complete = one"
                + " fenced update; each status change also writes 1 progress_log row through the trigger (V023)");
        return report;
    }

    private Map<String, Object> drain(Vertx vertx, Report report, int jobs, int claimers, int batch, OptionalInt cap,
            Duration maxTime)
            throws Exception {
        String label = "claimers_" + claimers + "_cap_" + (cap.isPresent() ? cap.getAsInt() : "none") + "_";
        try (BenchStack stack = BenchStack.create("store_drain")) {
            Backlog.preload(stack, jobs, "noop", "{}");
            List<StoreClient> clients = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                clients.add(StoreClient.open(vertx, stack.db(), Math.min(batch, 8)));
            }
            Latencies claimLatency = new Latencies();
            AtomicInteger done = new AtomicInteger();
            AtomicInteger claimCalls = new AtomicInteger();
            long deadline = System.nanoTime() + maxTime.toNanos();
            Probe probe = Probe.start(stack, Map.of(), false);
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                StoreClient client = clients.get(i);
                String owner = "bench-claimer-" + i;
                threads.add(Thread.ofPlatform().name(owner).start(() -> {
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        List<ClaimedJob> claimed = client.store().claimJobs(new ClaimRequest(owner, batch, LEASE, cap)).await()
                                .atMost(Duration.ofSeconds(30));
                        claimLatency.recordNanos(System.nanoTime() - t0);
                        claimCalls.incrementAndGet();
                        if (claimed.isEmpty()) {
                            return;
                        }
                        List<Uni<Void>> completes = new ArrayList<>();
                        claimed.forEach(c -> completes.add(client.store().completeJob(c.lease())));
                        Uni.join().all(completes).andFailFast().await().atMost(Duration.ofSeconds(30));
                        done.addAndGet(claimed.size());
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> cpu = probe.finish(report, label);
            clients.forEach(StoreClient::close);
            report.breakdown(label + "cpu_per_job", Probe.perUnit(cpu, done.get(), "job"));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("claimers", claimers);
            row.put("batch", batch);
            row.put("global_cap", cap.isPresent() ? String.valueOf(cap.getAsInt()) : "none");
            row.put("jobs", done.get());
            row.put("seconds", Report.round(seconds));
            row.put("jobs_per_s", Math.round(done.get() / seconds));
            row.put("claim_calls", claimCalls.get());
            row.putAll(claimLatency.summary("claim_"));
            row.put("check", Backlog.verifyAllCompletedOnce(stack, jobs));
            return row;
        }
    }
}

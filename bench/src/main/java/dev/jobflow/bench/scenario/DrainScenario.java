package dev.jobflow.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jobflow.bench.core.Await;
import dev.jobflow.bench.core.Backlog;
import dev.jobflow.bench.core.BenchStack;
import dev.jobflow.bench.core.JobTimes;
import dev.jobflow.bench.core.Options;
import dev.jobflow.bench.core.Probe;
import dev.jobflow.bench.core.Report;
import dev.jobflow.bench.core.ServiceSettings;
import dev.jobflow.testing.ServiceProcess;

/**
 * Drain throughput: 1 or more dispatcher processes started and idle, then a backlog of no-op jobs
 * committed in one statement and announced with one NOTIFY; measured from the first claim to the
 * last completion (database clock), with and without the global cap (a cap above the total slots,
 * so it never binds: what is measured is its cost).
 */
public final class DrainScenario implements Scenario {

    @Override
    public String name() {
        return "drain";
    }

    @Override
    public String description() {
        return "drain throughput: preloaded no-op backlog worked off by dispatcher processes, with/without global cap";
    }

    @Override
    public List<String> needs() {
        return List.of("dispatcher");
    }

    @Override
    public Report run(Options o, boolean smoke) throws Exception {
        int jobs = o.integer("jobs", smoke ? 200 : 10_000);
        List<Integer> processes = o.integers("processes", smoke ? "1" : "1,3");
        List<String> caps = o.words("cap", smoke ? "1000" : "none,1000");
        int slots = o.integer("slots", 8);
        Duration maxTime = o.duration("max-time", Duration.ofSeconds(smoke ? 60 : 300));
        boolean profile = Boolean.parseBoolean(o.string("profile", String.valueOf(!smoke)));
        int repeat = o.integer("repeat", 1);
        Report report = new Report(name(), description()).parameters(o.used());
        for (int r = 0; r < repeat; r++) { // interleaved, so drift in the machine's load hits every variant
            for (int p : processes) {
                for (String cap : caps) {
                    report.row(drain(report, jobs, p, slots, cap.equals("none") ? null : Integer.valueOf(cap),
                            maxTime, profile));
                }
            }
        }
        report.note("each job: claimed in a batch of up to the free slots (one statement), run on a virtual"
                + " thread (no-op), completed by one fenced UPDATE + COMMIT; each status change writes 1 progress_log"
                + " row through the trigger (V023)");
        report.note("with a cap, every claim first locks free rows of dispatch_cap_slots (FOR UPDATE SKIP LOCKED) and"
                + " writes each claimed job into its slot; a trigger frees the slot when the job leaves RUNNING"
                + " (jobs_claim, V006)");
        return report;
    }

    private Map<String, Object> drain(Report report, int jobs, int processes, int slots, Integer cap,
            Duration maxTime, boolean profile) throws Exception {
        String label = "p" + processes + "_cap_" + (cap == null ? "none" : cap) + "_";
        try (BenchStack stack = BenchStack.create("drain")) {
            List<ServiceProcess> dispatchers = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                dispatchers.add(stack.launch("dispatcher", ServiceSettings.dispatcher(slots, cap)));
            }
            for (ServiceProcess d : dispatchers) {
                d.awaitReady(BenchStack.READY);
            }
            Probe probe = Probe.start(stack, Map.of("dispatcher", dispatchers), profile);
            long t0 = System.nanoTime();
            Backlog.preload(stack, jobs, "noop", "{}");
            stack.execute("notify jobflow_jobs_ready");
            long[] done = Await.none(stack, Await.JOBS_LEFT, "select count(*) from jobs where status = 'RUNNING'",
                    maxTime);
            double wall = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> cpu = probe.finish(report, label);
            report.breakdown(label + "cpu_per_job", Probe.perUnit(cpu, jobs, "job"));
            double seconds = JobTimes.drainSeconds(stack);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("processes", processes);
            row.put("slots_each", slots);
            row.put("global_cap", cap == null ? "none" : cap);
            row.put("jobs", jobs);
            row.put("seconds", Report.round(seconds));
            row.put("jobs_per_s", Math.round(jobs / seconds));
            row.put("wall_incl_preload_s", Report.round(wall));
            row.put("max_running_seen", done[1]);
            row.put("check", done[0] < 0 ? "MISMATCH: not drained within " + maxTime
                    : Backlog.verifyAllCompletedOnce(stack, jobs));
            return row;
        }
    }
}

package dev.jobflow.bench.scenario;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.jobflow.bench.core.BenchStack;
import dev.jobflow.bench.core.Options;
import dev.jobflow.bench.core.Report;
import dev.jobflow.bench.core.ServiceSettings;
import dev.jobflow.testing.ServiceProcess;

/**
 * Soak: all three services at a steady submit rate for long enough to pass the retention several
 * times, sampling every table's rows and bytes. The jobs write what a real load does: progress,
 * log lines and a result (demo), failures with runs (fail), unique keys, idempotency keys, audit
 * rows. With short retention ages the sizes must rise to a plateau and stay on it.
 */
public final class SoakScenario implements Scenario {
    /** Every table that grows with use (the others hold settings). */
    static final List<String> TABLES = List.of("jobs", "job_runs", "job_logs", "progress_log", "dispatch_cycles",
            "audit_log", "job_unique_keys", "dispatcher_replicas");
    /** Submits awaiting their answer at most: beyond it the load waits (and falls behind its rate). */
    private static final int MAX_IN_FLIGHT = 64;

    @Override
    public String name() {
        return "soak";
    }

    @Override
    public String description() {
        return "soak: steady submits through job-api with short retention; table rows and bytes must flatten";
    }

    @Override
    public List<String> needs() {
        return List.of("job-api", "dispatcher", "progress-hub");
    }

    @Override
    public Report run(Options o, boolean smoke) throws Exception {
        int rate = o.integer("rate", smoke ? 10 : 50);
        // smoke: long enough for passes to prune jobs older than max-age, the one thing its check asks
        Duration length = o.duration("duration", Duration.ofSeconds(smoke ? 8 : 300));
        Duration maxAge = o.duration("max-age", Duration.ofSeconds(smoke ? 2 : 30));
        Duration interval = o.duration("retention-interval", Duration.ofSeconds(smoke ? 1 : 5));
        Duration sample = o.duration("sample", Duration.ofSeconds(smoke ? 3 : 15));
        Report report = new Report(name(), description()).parameters(o.used());
        String age = maxAge.toSeconds() + "s";
        try (BenchStack stack = BenchStack.create("soak")) {
            stack.env("JOBFLOW_STORE_IDEMPOTENCY_KEY_TTL", age);
            // the three start side by side (the database is migrated already)
            ServiceProcess api = stack.launch("job-api", Map.of());
            Map<String, String> dispatcher = ServiceSettings.dispatcher(8, null);
            dispatcher.put("JOBFLOW_DISPATCHER_RETENTION_INTERVAL", interval.toSeconds() + "s");
            for (String kind : List.of("JOBS", "CYCLES", "AUDIT")) { // replicas: the default (live ones stay)
                dispatcher.put("JOBFLOW_DISPATCHER_RETENTION_" + kind + "_MAX_AGE", age);
            }
            Map<String, String> hub = new LinkedHashMap<>(ServiceSettings.forService("progress-hub"));
            hub.put("JOBFLOW_HUB_RETENTION_MAX_AGE", age);
            hub.put("JOBFLOW_HUB_RETENTION_INTERVAL", interval.toSeconds() + "s");
            for (ServiceProcess service : List.of(api, stack.launch("dispatcher", dispatcher),
                    stack.launch("progress-hub", hub))) {
                service.awaitReady(BenchStack.READY);
            }

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String key = stack.db().createJobApiKey("soak");
            AtomicLong accepted = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            AtomicReference<String> firstError = new AtomicReference<>();
            Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
            List<Map<String, Object>> samples = new ArrayList<>();
            long start = System.nanoTime();
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            long nextSample = 0;
            long n = 0;
            try (Connection db = stack.connect()) {
                while (System.nanoTime() - start < length.toNanos()) {
                    long due = start + n * period;
                    LockSupport.parkNanos(due - System.nanoTime()); // the pace of the load, not a wait for a condition
                    inFlight.acquire(); // a lagging job-api slows the load down instead of piling requests up
                    http.sendAsync(request(api, key, n), HttpResponse.BodyHandlers.ofString()).whenComplete(
                            (response, failure) -> {
                                inFlight.release();
                                if (failure == null && response.statusCode() / 100 == 2) {
                                    accepted.incrementAndGet();
                                } else {
                                    refused.incrementAndGet();
                                    firstError.compareAndSet(null, failure != null ? failure.toString()
                                            : response.statusCode() + " " + response.body());
                                }
                            });
                    n++;
                    long elapsed = System.nanoTime() - start;
                    if (elapsed >= nextSample) {
                        samples.add(sample(db, elapsed, accepted.get()));
                        nextSample += sample.toNanos();
                    }
                }
                samples.add(sample(db, System.nanoTime() - start, accepted.get()));
            }
            samples.forEach(s -> report.row(rowOf(s)));
            report.breakdown("bytes_by_table_first", samples.get(0).get("bytes"));
            report.breakdown("bytes_by_table_middle", samples.get(samples.size() / 2).get("bytes"));
            report.breakdown("bytes_by_table_last", samples.get(samples.size() - 1).get("bytes"));
            report.breakdown("submits_accepted", accepted.get());
            report.breakdown("submits_refused_or_failed", refused.get());
            report.breakdown("achieved_rate_per_s", Report.round(n / ((System.nanoTime() - start) / 1e9)));
            if (firstError.get() != null) {
                report.note("first refused or failed submit: " + firstError.get());
            }
            report.row(check(samples, accepted.get(), refused.get(), smoke));
            report.note("retention ages " + age + ", pass every " + interval.toSeconds() + " s (dispatcher: jobs with"
                    + " their runs and logs, cycles, unique keys, audit; hub: progress log); idempotency keys"
                    + " live " + age);
            report.note("one job in 5 fails (fail, 1 attempt), one in 7 has a unique key held 2 s, one in 3 an"
                    + " Idempotency-Key; the rest are demo jobs of 0.06 s with 3 progress steps, 3 log lines and a result");
        }
        return report;
    }

    private static HttpRequest request(ServiceProcess api, String key, long n) {
        String body;
        if (n % 5 == 0) {
            body = "{\"name\":\"soak\",\"owner\":\"bench\",\"type\":\"fail\",\"maxAttempts\":1}";
        } else if (n % 7 == 0) {
            body = "{\"name\":\"soak\",\"owner\":\"bench\",\"type\":\"noop\",\"unique\":{\"key\":\"u" + n
                    + "\",\"periodSeconds\":2}}";
        } else {
            body = "{\"name\":\"soak\",\"owner\":\"bench\",\"type\":\"demo\",\"params\":{\"duration\":0.06,\"step\":0.02}}";
        }
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/jobs"))
                .header("content-type", "application/json").header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (n % 3 == 0) {
            post.header("Idempotency-Key", "soak-" + n);
        }
        return post.build();
    }

    private static Map<String, Object> sample(Connection db, long elapsedNanos, long accepted) throws SQLException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("t_s", Math.round(elapsedNanos / 1e9));
        s.put("accepted", accepted);
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        try (Statement st = db.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = st.executeQuery("select (select count(*) from " + table
                        + "), pg_total_relation_size('" + table + "')")) {
                    rs.next();
                    rows.put(table, rs.getLong(1));
                    bytes.put(table, rs.getLong(2));
                }
            }
        }
        s.put("rows", rows);
        s.put("bytes", bytes);
        // Why bytes may still grow: dead rows autovacuum has not removed yet, and the oldest snapshot
        // any session holds (nothing older than it can be removed)
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select (select coalesce(sum(n_dead_tup), 0) from pg_stat_user_tables),"
                        + " (select coalesce(sum(autovacuum_count), 0) from pg_stat_user_tables),"
                        + " (select coalesce(max(age(backend_xmin)), 0) from pg_stat_activity"
                        + "   where datname = current_database())")) {
            rs.next();
            s.put("dead_rows", rs.getLong(1));
            s.put("autovacuums", rs.getLong(2));
            s.put("oldest_xmin_age", rs.getLong(3));
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rowOf(Map<String, Object> s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("t_s", s.get("t_s"));
        row.put("accepted", s.get("accepted"));
        ((Map<String, Long>) s.get("rows")).forEach(row::put);
        long total = ((Map<String, Long>) s.get("bytes")).values().stream().mapToLong(Long::longValue).sum();
        row.put("total_mib", Report.round(total / 1048576.0));
        row.put("dead_rows", s.get("dead_rows"));
        row.put("autovacuums", s.get("autovacuums"));
        row.put("oldest_xmin_age", s.get("oldest_xmin_age"));
        return row;
    }

    /**
     * Flat: every table's rows at the end within 25 % (+ 200 rows) of its largest count in the
     * first half after warm-up, and the bytes within 50 % (+ 1 MiB). In smoke mode (too short for a
     * plateau): the retention removed jobs while the load ran.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> check(List<Map<String, Object>> samples, long accepted, long refused, boolean smoke) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("t_s", "check");
        Map<String, Long> last = (Map<String, Long>) samples.get(samples.size() - 1).get("rows");
        List<String> problems = new ArrayList<>();
        if (refused > 0) {
            problems.add(refused + " submits refused or failed");
        }
        if (smoke) {
            if (last.get("jobs") >= accepted) {
                problems.add("no job was pruned: " + last.get("jobs") + " rows for " + accepted + " accepted");
            }
        } else {
            int from = samples.size() / 4; // warm-up: the first quarter fills the tables to their plateau
            int to = Math.max(from + 1, samples.size() / 2);
            for (String table : TABLES) {
                long plateau = 0;
                long plateauBytes = 0;
                for (Map<String, Object> s : samples.subList(from, to)) {
                    plateau = Math.max(plateau, ((Map<String, Long>) s.get("rows")).get(table));
                    plateauBytes = Math.max(plateauBytes, ((Map<String, Long>) s.get("bytes")).get(table));
                }
                long rows = last.get(table);
                long bytes = ((Map<String, Long>) samples.get(samples.size() - 1).get("bytes")).get(table);
                if (rows > plateau * 1.25 + 200) {
                    problems.add(table + " rows grew from " + plateau + " to " + rows);
                }
                if (bytes > plateauBytes * 1.5 + 1048576) {
                    problems.add(table + " bytes grew from " + plateauBytes + " to " + bytes);
                }
            }
        }
        row.put("check", problems.isEmpty() ? "ok" : String.join("; ", problems));
        return row;
    }
}

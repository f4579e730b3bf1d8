package dev.jobflow.bench.scenario;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jobflow.bench.core.Await;
import dev.jobflow.bench.core.Backlog;
import dev.jobflow.bench.core.BenchStack;
import dev.jobflow.bench.core.HubClients;
import dev.jobflow.bench.core.Latencies;
import dev.jobflow.bench.core.Options;
import dev.jobflow.bench.core.Probe;
import dev.jobflow.bench.core.Report;
import dev.jobflow.bench.core.ServiceSettings;
import dev.jobflow.bench.core.Tokens;
import dev.jobflow.testing.ServiceProcess;

/**
 * Progress latency: thousands of WebSocket subscribers of one room while a dispatcher runs demo
 * jobs that report progress every step; latency = the progress_log row's created_at (the
 * transaction of the handler's {@code progress()} call) to the frame's receipt by each subscriber.
 */
public final class ProgressScenario implements Scenario {

    @Override
    public String name() {
        return "progress";
    }

    @Override
    public String description() {
        return "progress latency: handler progress() (progress_log created_at) -> WebSocket receipt, many subscribers";
    }

    @Override
    public List<String> needs() {
        return List.of("dispatcher", "progress-hub");
    }

    @Override
    public Report run(Options o, boolean smoke) throws Exception {
        int subscribers = o.integer("subscribers", smoke ? 20 : 2000);
        int jobs = o.integer("jobs", smoke ? 2 : 4);
        String duration = o.string("duration", smoke ? "1" : "5");
        String step = o.string("step", smoke ? "0.2" : "0.25");
        String room = o.string("room", "jobs");
        Duration maxTime = o.duration("max-time", Duration.ofSeconds(smoke ? 60 : 180));
        boolean profile = Boolean.parseBoolean(o.string("profile", String.valueOf(!smoke)));
        Report report = new Report(name(), description()).parameters(o.used());
        Receipts receipts = new Receipts();
        try (BenchStack stack = BenchStack.create("progress");
                HubClients clients = new HubClients()) {
            ServiceProcess hub = stack.launch("progress-hub", ServiceSettings.forService("progress-hub"));
            ServiceProcess dispatcher = stack.launch("dispatcher", ServiceSettings.dispatcher(jobs, null));
            hub.awaitReady(BenchStack.READY);
            dispatcher.awaitReady(BenchStack.READY);
            int open = clients.open(hub.port(), subscribers,
                    i -> Tokens.mint("bench-" + i, List.of(room), List.of(), Duration.ofHours(2)), i -> List.of(room),
                    (frame, received) -> {
                        JsonData data = JsonData.of(frame);
                        if ("RUNNING".equals(data.status) && data.pct > 0) {
                            receipts.add(frame.getLong("offset"), received);
                        }
                    }, maxTime);
            long before = stack.count("select coalesce(max(id), 0) from progress_log");
            Probe probe = Probe.start(stack, Map.of("hub", List.of(hub), "dispatcher", List.of(dispatcher)), profile);
            long t0 = System.nanoTime();
            Backlog.preload(stack, jobs, "demo", "{\"duration\": " + duration + ", \"step\": " + step + "}");
            stack.execute("notify jobflow_jobs_ready");
            long[] done = Await.count(stack, "select count(*) from jobs where status = 'COMPLETED'", jobs, null,
                    maxTime);
            String progressRows = "select count(*) from progress_log where " + inRoom(room) + " and id > " + before
                    + " and payload->>'status' = 'RUNNING' and (payload->>'pct')::int > 0";
            long messages = stack.count(progressRows);
            long expected = messages * open;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (receipts.size() < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> cpu = probe.finish(report, "");
            report.breakdown("cpu_per_delivery", Probe.perUnit(cpu, receipts.size(), "delivery"));
            Latencies latencies = receipts.latencies(stack, room, before);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("subscribers", open);
            row.put("jobs", jobs);
            row.put("progress_messages", messages);
            row.put("deliveries", receipts.size());
            row.put("deliveries_per_s", Math.round(receipts.size() / seconds));
            row.putAll(latencies.summary("latency_"));
            row.put("check", done[0] == jobs && open == subscribers && receipts.size() == expected
                    && clients.failures() == 0 ? "ok"
                            : "MISMATCH: " + receipts.size() + " of " + expected + " deliveries, " + open + " of "
                                    + subscribers + " subscribed, jobs done " + done[0] + "; "
                                    + clients.firstProblem());
            report.row(row);
            report.note("path: handler progress() -> UPDATE jobs + trigger insert into progress_log, COMMIT -> the hub's"
                    + " tailer poll (10-200 ms adaptive) -> room fan-out -> each connection's outbox -> WebSocket");
        }
        return report;
    }

    /** The fields of a message frame's data this scenario needs. */
    private record JsonData(String status, int pct) {
        static JsonData of(io.vertx.core.json.JsonObject frame) {
            io.vertx.core.json.JsonObject data = frame.getJsonObject("data");
            return data == null ? new JsonData("", 0)
                    : new JsonData(data.getString("status", ""),
                            data.getInteger("pct", 0));
        }
    }

    /** (offset, receipt time) pairs from the event-loop threads. */
    private static final class Receipts {
        private long[] offsets = new long[4096];
        private long[] times = new long[4096];
        private int size;

        synchronized void add(long offset, long receivedMicros) {
            if (size == offsets.length) {
                offsets = Arrays.copyOf(offsets, size * 2);
                times = Arrays.copyOf(times, size * 2);
            }
            offsets[size] = offset;
            times[size++] = receivedMicros;
        }

        synchronized int size() {
            return size;
        }

        synchronized Latencies latencies(BenchStack stack, String room, long after) throws Exception {
            Map<Long, Long> created = new HashMap<>();
            try (Connection c = stack.connect();
                    PreparedStatement ps = c.prepareStatement(
                            "select id, (extract(epoch from created_at) * 1000000)::bigint from progress_log"
                                    + " where " + inRoom(room) + " and id > ?")) {
                ps.setLong(1, after);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        created.put(rs.getLong(1), rs.getLong(2));
                    }
                }
            }
            Latencies out = new Latencies();
            for (int i = 0; i < size; i++) {
                Long t = created.get(offsets[i]);
                if (t != null) {
                    out.recordMicros(times[i] - t);
                }
            }
            return out;
        }
    }

    /** The rows of {@code room}: a job's event is one row in {@code job:<id>} naming its owner (V023). */
    static String inRoom(String room) {
        String quoted = room.replace("'", "''");
        if (room.equals("jobs")) {
            return "(room = 'jobs' or job_owner is not null)";
        }
        if (room.startsWith("user:")) {
            return "(room = '" + quoted + "' or job_owner = '" + quoted.substring("user:".length()) + "')";
        }
        return "room = '" + quoted + "'";
    }
}

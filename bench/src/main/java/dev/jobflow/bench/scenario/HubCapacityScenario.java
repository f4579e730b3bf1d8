package dev.jobflow.bench.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jobflow.bench.core.BenchStack;
import dev.jobflow.bench.core.HubClients;
import dev.jobflow.bench.core.JvmHeap;
import dev.jobflow.bench.core.Latencies;
import dev.jobflow.bench.core.Options;
import dev.jobflow.bench.core.Probe;
import dev.jobflow.bench.core.Producer;
import dev.jobflow.bench.core.Report;
import dev.jobflow.bench.core.ServiceSettings;
import dev.jobflow.bench.core.Tokens;
import dev.jobflow.testing.ServiceProcess;

/**
 * Hub capacity: idle WebSocket connections held by one hub process (each its own subject and token,
 * subscribed to its own room and a shared room), the hub's live heap after a full GC per
 * connection, then fan-out: messages posted to the shared room at a steady rate, delivered to every
 * connection, with deliveries per second and end-to-end latency (POST sent → frame received).
 */
public final class HubCapacityScenario implements Scenario {
    static final String FANOUT_ROOM = "bench:fanout";

    @Override
    public String name() {
        return "hub-capacity";
    }

    @Override
    public String description() {
        return "hub capacity: idle WebSocket connections, heap per connection, fan-out deliveries/s and latency";
    }

    @Override
    public List<String> needs() {
        return List.of("progress-hub");
    }

    @Override
    public Report run(Options o, boolean smoke) throws Exception {
        List<Integer> steps = o.integers("connections", smoke ? "50" : "1000,5000,10000");
        int messages = o.integer("messages", smoke ? 20 : 200);
        int rate = o.integer("rate", 20);
        Duration timeout = o.duration("max-time", Duration.ofSeconds(smoke ? 30 : 180));
        boolean profile = Boolean.parseBoolean(o.string("profile", String.valueOf(!smoke)));
        Report report = new Report(name(), description()).parameters(o.used());
        try (BenchStack stack = BenchStack.create("hub_capacity");
                HubClients clients = new HubClients()) {
            ServiceProcess hub = stack.start("progress-hub", ServiceSettings.forService("progress-hub"));
            long baseHeap = JvmHeap.usedAfterGcKib(hub.pid());
            long baseRss = JvmHeap.rssKib(hub.pid());
            report.breakdown("hub_baseline", Map.of("heap_after_gc_kib", baseHeap, "rss_kib", baseRss));
            Map<String, Long> baseClasses = JvmHeap.classHistogram(hub.pid());
            Latencies latencies = new Latencies();
            int open = 0;
            for (int target : steps) {
                final int from = open;
                open += clients.open(hub.port(), target - from,
                        i -> Tokens.mint("bench-" + (from + i), List.of("user:bench-" + (from + i), FANOUT_ROOM),
                                List.of(), Duration.ofHours(2)),
                        i -> List.of("user:bench-" + (from + i), FANOUT_ROOM),
                        (frame, received) -> latencies.recordMicros(received
                                - frame.getJsonObject("data").getLong("t")),
                        timeout);
                long heap = JvmHeap.usedAfterGcKib(hub.pid());
                long rss = JvmHeap.rssKib(hub.pid());
                if (open > 0) {
                    report.breakdown("hub_heap_growth_per_connection_at_" + open,
                            JvmHeap.growthPerUnit(baseClasses, JvmHeap.classHistogram(hub.pid()), open, 25));
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("phase", "idle");
                row.put("connections", open);
                row.put("heap_after_gc_kib", heap);
                row.put("heap_per_connection_kib", open == 0 ? 0 : Report.round((heap - baseHeap) / (double) open));
                row.put("rss_kib", rss);
                row.put("rss_per_connection_kib", open == 0 ? 0 : Report.round((rss - baseRss) / (double) open));
                row.put("check", open == target && clients.failures() == 0 ? "ok"
                        : "MISMATCH: " + open + " of " + target + " subscribed; " + clients.firstProblem());
                report.row(row);
                if (open < target) {
                    break;
                }
            }

            Producer producer = Producer.register(stack, hub);
            long expected = (long) messages * open;
            Probe probe = Probe.start(stack, Map.of("hub", List.of(hub)), profile);
            long t0 = System.nanoTime();
            int accepted = producer.send(FANOUT_ROOM, messages, rate);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (clients.messages() < (long) accepted * open && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> cpu = probe.finish(report, "fanout_");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("phase", "fan-out");
            row.put("connections", open);
            row.put("messages", accepted);
            row.put("offered_deliveries_per_s", (long) rate * open);
            row.put("deliveries", clients.messages());
            row.put("seconds", Report.round(seconds));
            row.put("deliveries_per_s", Math.round(clients.messages() / seconds));
            row.putAll(latencies.summary("latency_"));
            row.put("check", clients.messages() == expected && accepted == messages && clients.failures() == 0 ? "ok"
                    : "MISMATCH: " + clients.messages() + " of " + expected + " delivered, " + accepted
                            + " accepted; " + clients.firstProblem());
            report.row(row);
            report.breakdown("fanout_cpu_per_delivery", Probe.perUnit(cpu, clients.messages(), "delivery"));
            report.note("latency = POST /api/v1/messages sent (bench clock) to frame received (same clock): HTTP,"
                    + " key check, insert + commit into progress_log, the hub's tail poll, room fan-out, WebSocket");
            report.note("the hub runs with -Xmx256m (ServiceProcess); subscribers run in the bench JVM on the same"
                    + " 2 cores, so client CPU is part of what limits fan-out here");
        }
        return report;
    }
}

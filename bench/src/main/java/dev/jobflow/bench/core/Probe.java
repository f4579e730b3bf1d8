package dev.jobflow.bench.core;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.jobflow.testing.ServiceProcess;

/**
 * Everything that says where the time went during a measured phase: CPU seconds per process group
 * (each service, the database's backends, the bench client, everyone else on the machine),
 * {@code pg_stat_activity} wait-event samples, and optionally a JFR hot-method profile of one
 * process of each service.
 */
public final class Probe {
    private final CpuMeter cpu;
    private final PgSampler pg;
    private final Map<String, Jfr> profiles = new LinkedHashMap<>();

    private Probe(CpuMeter cpu, PgSampler pg) {
        this.cpu = cpu;
        this.pg = pg;
    }

    /**
     * @param services group name to its processes (e.g. "dispatcher" to three processes)
     * @param profile whether to record a JFR profile of the first process of each group
     */
    public static Probe start(BenchStack stack, Map<String, List<ServiceProcess>> services, boolean profile)
            throws SQLException {
        Map<String, Supplier<Collection<Long>>> groups = new LinkedHashMap<>();
        services.forEach((name, processes) -> groups.put(name,
                () -> processes.stream().map(ServiceProcess::pid).toList()));
        groups.put("postgres", stack::postgresPids);
        groups.put("bench", () -> List.of(ProcessHandle.current().pid()));
        Probe probe = new Probe(CpuMeter.start(groups), PgSampler.start(stack.connect(), 20));
        if (profile) {
            services.forEach((name, processes) -> {
                if (!processes.isEmpty()) {
                    probe.profiles.put(name, Jfr.start(processes.get(0).pid(), Path.of("target/jfr"), name));
                }
            });
        }
        return probe;
    }

    /**
     * Stops measuring and adds the CPU, database and profile breakdowns to the report, their keys
     * prefixed with {@code prefix} (e.g. "claimers_3_"); returns the CPU seconds.
     */
    public Map<String, Object> finish(Report report, String prefix) throws InterruptedException {
        Map<String, Object> cpuSeconds = cpu.stop();
        pg.close();
        report.breakdown(prefix + "cpu", cpuSeconds);
        report.breakdown(prefix + "postgres_activity", pg.summary());
        profiles.forEach((name, jfr) -> report.breakdown(prefix + "hot_methods_" + name, jfr.stopAndSummarize(8)));
        return cpuSeconds;
    }

    /** CPU microseconds per unit of work for each group, e.g. per submitted job. */
    public static Map<String, Object> perUnit(Map<String, Object> cpuSeconds, long units, String unit) {
        Map<String, Object> out = new LinkedHashMap<>();
        cpuSeconds.forEach((key, value) -> {
            if (key.endsWith("_cpu_s") && value instanceof Number n && units > 0) {
                out.put(key.replace("_cpu_s", "_cpu_us_per_" + unit), Report.round(n.doubleValue() * 1e6 / units));
            }
        });
        return out;
    }
}

package dev.jobflow.bench.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU seconds spent by groups of processes (a service, the PostgreSQL backends of the bench
 * database, the bench client itself) between {@link #start} and {@link #stop}, read from
 * {@code /proc/<pid>/stat}, plus the whole machine's busy CPU from {@code /proc/stat}, so that
 * what other users of the machine took shows up as "other".
 */
public final class CpuMeter {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final Map<String, Supplier<Collection<Long>>> groups;
    private final Map<String, Map<Long, Long>> startTicks = new HashMap<>();
    private final long machineBusyStart;
    private final long startNanos = System.nanoTime();

    private CpuMeter(Map<String, Supplier<Collection<Long>>> groups) {
        this.groups = groups;
        groups.forEach((name, pids) -> startTicks.put(name, ticks(pids.get())));
        this.machineBusyStart = machineBusyTicks();
    }

    /** Group name to the pids that belong to it (asked again at the end: pools may have grown). */
    public static CpuMeter start(Map<String, Supplier<Collection<Long>>> groups) {
        return new CpuMeter(new LinkedHashMap<>(groups));
    }

    /** CPU seconds per group, {@code machine} (all processes), {@code other} and {@code wall}. */
    public Map<String, Object> stop() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        double ours = 0;
        for (var group : groups.entrySet()) {
            Map<Long, Long> before = startTicks.get(group.getKey());
            long delta = 0;
            for (var now : ticks(group.getValue().get()).entrySet()) {
                delta += now.getValue() - before.getOrDefault(now.getKey(), 0L);
            }
            double seconds = delta / TICKS_PER_SECOND;
            ours += seconds;
            out.put(group.getKey() + "_cpu_s", Report.round(seconds));
        }
        double machine = (machineBusyTicks() - machineBusyStart) / TICKS_PER_SECOND;
        out.put("machine_cpu_s", Report.round(machine));
        out.put("other_cpu_s", Report.round(Math.max(0, machine - ours)));
        out.put("wall_s", Report.round(wall));
        out.put("cores", Runtime.getRuntime().availableProcessors());
        return out;
    }

    private static Map<Long, Long> ticks(Collection<Long> pids) {
        Map<Long, Long> out = new HashMap<>();
        for (long pid : pids) {
            long t = processTicks(pid);
            if (t >= 0) {
                out.put(pid, t);
            }
        }
        return out;
    }

    /** utime + stime of a process and its finished children is not wanted: only fields 14 and 15. */
    static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

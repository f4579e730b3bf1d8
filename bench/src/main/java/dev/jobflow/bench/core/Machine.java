package dev.jobflow.bench.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machine looked like when a number was taken: load average, cores, memory, CPU model,
 * JVM. Benchmarks on a shared machine mean little without the load next to them.
 */
public final class Machine {

    private Machine() {
    }

    public static Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("loadavg", firstLine("/proc/loadavg").replaceAll("^(\\S+ \\S+ \\S+).*", "$1"));
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("mem_total", memTotal());
        out.put("cpu", cpuModel());
        out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.put("service_jvm_options", String.join(" ", BenchStack.SERVICE_JVM_OPTIONS));
        return out;
    }

    private static String cpuModel() {
        return lines("/proc/cpuinfo").stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    }

    private static String memTotal() {
        return lines("/proc/meminfo").stream().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB").orElse("unknown");
    }

    private static String firstLine(String file) {
        List<String> lines = lines(file);
        return lines.isEmpty() ? "unknown" : lines.get(0);
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}

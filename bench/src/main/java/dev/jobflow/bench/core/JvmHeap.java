package dev.jobflow.bench.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Heap of another JVM after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}) and its RSS. */
public final class JvmHeap {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    /** " 12: 3456 78901 java.lang.String (java.base@25)": instances, bytes, class. */
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");

    private JvmHeap() {
    }

    /** Live heap in KiB after two full collections. */
    public static long usedAfterGcKib(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run");
        Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("cannot read heap usage of " + pid);
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Bytes of live objects per class ({@code jcmd GC.class_histogram}, which runs a full GC first).
     */
    public static Map<String, Long> classHistogram(long pid) throws IOException, InterruptedException {
        Map<String, Long> bytes = new HashMap<>();
        for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
            Matcher m = HISTOGRAM_ROW.matcher(line);
            if (m.find()) {
                bytes.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
            }
        }
        return bytes;
    }

    /**
     * Where the heap grew between two histograms, per unit (e.g. per connection): the classes with
     * the most bytes added, largest first, as "bytes per unit class".
     */
    public static List<String> growthPerUnit(Map<String, Long> before, Map<String, Long> after, int units, int top) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long> comparingByValue().reversed())
                .limit(top)
                .map(e -> String.format(Locale.ROOT, "%8.1f B  %s", e.getValue() / (double) units, e.getKey()))
                .toList();
    }

    /** Resident set size in KiB. */
    public static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }
}

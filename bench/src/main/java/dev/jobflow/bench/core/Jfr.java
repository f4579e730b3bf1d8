package dev.jobflow.bench.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CPU sampling profile of a service process while a scenario measures: JDK Flight Recorder
 * started and stopped with {@code jcmd}, summarised with {@code jfr view hot-methods}. Best effort:
 * when the JDK tools are missing, the summary says so instead of failing the run.
 */
public final class Jfr {
    private static final AtomicInteger RECORDINGS = new AtomicInteger();
    private final long pid;
    /**
     * The JFR settings of every recording: {@code profile} (a sample per thread every 10-20 ms), or a
     * .jfc file named by {@code BENCH_JFR_SETTINGS} (say, the profile with {@code jdk.ExecutionSample}
     * every 1 ms, for a phase of a few seconds).
     */
    private static final String SETTINGS = System.getenv().getOrDefault("BENCH_JFR_SETTINGS", "profile");
    private final Path file;
    private final boolean started;

    private Jfr(long pid, Path file, boolean started) {
        this.pid = pid;
        this.file = file;
        this.started = started;
    }

    /**
     * Starts a recording of {@code pid} into {@code dir}; each recording of this run gets a file of its own
     * ({@code <label>-<pid>-<n>.jfr}: a scenario that profiles one process in several phases keeps each).
     */
    public static Jfr start(long pid, Path dir, String label) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(label + "-" + pid + "-" + RECORDINGS.incrementAndGet() + ".jfr").toAbsolutePath();
            Files.deleteIfExists(file);
            String out = run(List.of(tool("jcmd"), String.valueOf(pid), "JFR.start", "name=bench", "settings=" + SETTINGS,
                    "filename=" + file));
            return new Jfr(pid, file, out.contains("Started recording"));
        } catch (IOException | RuntimeException e) {
            return new Jfr(pid, null, false);
        }
    }

    /** Stops the recording and returns the top {@code n} hot methods (share of samples, method). */
    public List<String> stopAndSummarize(int n) {
        if (!started) {
            return List.of("profile unavailable (jcmd could not start JFR)");
        }
        try {
            run(List.of(tool("jcmd"), String.valueOf(pid), "JFR.stop", "name=bench"));
            String view = run(List.of(tool("jfr"), "view", "--width", "160", "hot-methods", file.toString()));
            List<String> top = new ArrayList<>();
            boolean table = false;
            for (String line : view.split("\n")) {
                if (line.startsWith("---")) {
                    table = true;
                } else if (table && !line.isBlank() && top.size() < n) {
                    top.add(line.strip().replaceAll("\\s{2,}", "  "));
                }
            }
            top.add("recording: " + file);
            return top;
        } catch (IOException | RuntimeException e) {
            return List.of("profile unavailable: " + e.getMessage());
        }
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " timed out");
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

package dev.jobflow.bench.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.jobflow.bench.core.BenchStack;
import dev.jobflow.bench.core.Options;
import dev.jobflow.bench.core.Report;
import dev.jobflow.bench.core.ServiceSettings;
import dev.jobflow.testing.ServiceProcess;

/**
 * Start-up time to ready of each built service: from launching the JVM to the first 200 from
 * {@code /q/health/ready} (polled every 10 ms), and what Quarkus itself reports ("started in").
 * Services whose module has no code yet are listed as not built.
 * <p>
 * {@code --archive} says which class-data archive the measured starts use, as users get it:
 * {@code dynamic} (default) the JVM's dynamic CDS archive as {@code bin/jobflow up} uses it, written by
 * a first start stopped with SIGTERM (timed apart, {@code training_ms}); {@code aot} the JDK 25 AOT
 * cache as the images make it (the Dockerfiles' training run); {@code none} no archive.
 */
public final class StartupScenario implements Scenario {
    private static final List<String> SERVICES = List.of("job-api", "dispatcher", "progress-hub");
    private static final Pattern STARTED = Pattern.compile("started in (\\d+\\.\\d+)s");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public String description() {
        return "start-up time to ready (/q/health/ready) of each service, JVM mode, fresh database";
    }

    @Override
    public List<String> needs() {
        return List.of("job-api");
    }

    @Override
    public Report run(Options o, boolean smoke) throws Exception {
        int repeats = o.integer("repeats", smoke ? 1 : 5);
        String archive = o.string("archive", "dynamic");
        // as Kubernetes runs the services: the migration Job migrates once, no replica runs Flyway at start
        String migrateOption = o.string("migrate", "false");
        if (!List.of("true", "false").contains(migrateOption)) {
            throw new IllegalArgumentException("--migrate is true or false, not " + migrateOption);
        }
        boolean migrate = Boolean.parseBoolean(migrateOption);
        if (!List.of("dynamic", "aot", "none").contains(archive)) {
            throw new IllegalArgumentException("--archive is dynamic, aot or none, not " + archive);
        }
        Report report = new Report(name(), description()).parameters(o.used());
        try (BenchStack stack = BenchStack.create("startup")) {
            for (String service : SERVICES) {
                if (!BenchStack.built(service)) {
                    report.row(Map.of("service", service, "runs", 0, "note", "not built yet"));
                    continue;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("service", service);
                row.put("archive", archive);
                Map<String, String> env = new HashMap<>(ServiceSettings.forService(service));
                env.put("JOBFLOW_MIGRATE_AT_START", String.valueOf(migrate));
                List<String> jvmOptions;
                try {
                    jvmOptions = switch (archive) {
                        case "dynamic" -> dynamicArchive(stack, service, env, row);
                        case "aot" -> aotCache(service, row);
                        default -> List.of();
                    };
                } catch (IllegalStateException noArchive) {
                    row.put("runs", 0);
                    row.put("note", noArchive.getMessage());
                    report.row(row);
                    continue;
                }
                List<Double> ready = new ArrayList<>();
                List<Double> reported = new ArrayList<>();
                for (int i = 0; i < repeats; i++) {
                    long t0 = System.nanoTime();
                    ServiceProcess process = stack.launch(service, env, jvmOptions);
                    awaitReady(process);
                    ready.add((System.nanoTime() - t0) / 1e6);
                    reported.add(quarkusStartedMillis(process));
                    stack.stop(process);
                }
                row.put("runs", repeats);
                row.put("to_ready_min_ms", Math.round(min(ready)));
                row.put("to_ready_median_ms", Math.round(median(ready)));
                row.put("to_ready_max_ms", Math.round(max(ready)));
                row.put("quarkus_started_in_median_ms", Math.round(median(reported)));
                report.row(row);
            }
        }
        report.note("to_ready includes JVM start, class loading, " + (migrate ? "Flyway validate/migrate, " : "")
                + "the first DB connection; quarkus_started_in is Quarkus' own figure from the log");
        report.note(migrate ? "--migrate=true: every start runs Flyway (validates the migrated schema), as bin/jobflow up"
                : "--migrate=false (default): no Flyway at start, as the chart runs every replica (the migration Job "
                        + "migrates once)");
        report.note("archive: " + switch (archive) {
            case "dynamic" -> "dynamic CDS archive as bin/jobflow uses it, written by one start stopped with SIGTERM "
                    + "(training_ms: that start to ready, archive_write_ms: SIGTERM to exit)";
            case "aot" -> "JDK AOT cache made as the Dockerfiles make it (training_ms: that run)";
            default -> "none";
        });
        return report;
    }

    /**
     * bin/jobflow's options; the archive is written by one start stopped with SIGTERM, as the first
     * {@code bin/jobflow down} or Ctrl-C writes it.
     */
    private static List<String> dynamicArchive(BenchStack stack, String service, Map<String, String> env,
            Map<String, Object> row)
            throws IOException, InterruptedException {
        Path file = archiveDir(service).resolve(service + ".jsa");
        Files.deleteIfExists(file);
        List<String> options = List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + file,
                "-Xlog:cds=error");
        long t0 = System.nanoTime();
        ServiceProcess first = stack.launch(service, env, options);
        awaitReady(first);
        row.put("training_ms", Math.round((System.nanoTime() - t0) / 1e6));
        long t1 = System.nanoTime();
        first.terminate(Duration.ofSeconds(60));
        row.put("archive_write_ms", Math.round((System.nanoTime() - t1) / 1e6));
        stack.stop(first);
        if (!Files.exists(file)) {
            throw new IllegalStateException("the JVM wrote no archive at exit; log: " + first.log());
        }
        row.put("archive_mb", Math.round(Files.size(file) / 1e6));
        return options;
    }

    /**
     * The Dockerfiles' RUN step against the module's jar: a start without a database (not migrated, the URL
     * pointing nowhere, a throwaway token secret), stopped with SIGTERM once Quarkus has said "started in";
     * the JVM writes the AOT cache as it exits. As there, any other end fails.
     */
    private static List<String> aotCache(String service, Map<String, Object> row)
            throws IOException, InterruptedException {
        Path file = archiveDir(service).resolve(service + ".aot");
        Files.deleteIfExists(file);
        Path jar = ServiceProcess.jar(ServiceProcess.module(service));
        Path log = archiveDir(service).resolve(service + "-aot-training.log");
        ProcessBuilder training = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:AOTCacheOutput=" + file, "--sun-misc-unsafe-memory-access=allow", "-jar",
                jar.toString())
                .directory(jar.getParent().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        training.environment().put("JOBFLOW_MIGRATE_AT_START", "false");
        training.environment().put("JOBFLOW_DB_URL", "jdbc:postgresql://127.0.0.1:1/none");
        training.environment().put("JOBFLOW_TOKEN_SECRET", ServiceSettings.TOKEN_SECRET);
        training.environment().put(BenchStack.PORT_VARIABLES.get(service), String.valueOf(ServiceProcess.freePort()));
        long t0 = System.nanoTime();
        Process process = training.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (process.isAlive() && !started(log) && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling the training start's log
        }
        boolean started = started(log);
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        row.put("training_ms", Math.round((System.nanoTime() - t0) / 1e6));
        if (!started || process.exitValue() != 143 || !Files.exists(file)) {
            throw new IllegalStateException("no AOT cache (training start " + (started ? "" : "never started, ")
                    + "exited " + process.exitValue() + "); log: " + log);
        }
        row.put("archive_mb", Math.round(Files.size(file) / 1e6));
        return List.of("-XX:AOTCache=" + file, "--sun-misc-unsafe-memory-access=allow");
    }

    private static boolean started(Path log) throws IOException {
        return Files.readString(log).contains(" started in ");
    }

    private static Path archiveDir(String service) throws IOException {
        return Files.createDirectories(ServiceProcess.module(service).resolve("target/bench-archives").toAbsolutePath());
    }

    private static void awaitReady(ServiceProcess process) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + BenchStack.READY.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(process.baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(1)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process + " exited during start-up");
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListening) {
                // not yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(process + " not ready within " + BenchStack.READY);
    }

    private static double quarkusStartedMillis(ServiceProcess process) throws IOException {
        Matcher m = STARTED.matcher(Files.readString(process.log()));
        double last = Double.NaN;
        while (m.find()) {
            last = Double.parseDouble(m.group(1)) * 1000;
        }
        return last;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}

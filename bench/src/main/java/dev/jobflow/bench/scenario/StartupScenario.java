package dev.jobflow.bench.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Report report = new Report(name(), description()).parameters(o.used());
        try (BenchStack stack = BenchStack.create("startup")) {
            for (String service : SERVICES) {
                if (!BenchStack.built(service)) {
                    report.row(Map.of("service", service, "runs", 0, "note", "not built yet"));
                    continue;
                }
                List<Double> ready = new ArrayList<>();
                List<Double> reported = new ArrayList<>();
                for (int i = 0; i < repeats; i++) {
                    long t0 = System.nanoTime();
                    ServiceProcess process = stack.launch(service, ServiceSettings.forService(service));
                    awaitReady(process);
                    ready.add((System.nanoTime() - t0) / 1e6);
                    reported.add(quarkusStartedMillis(process));
                    stack.stop(process);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("service", service);
                row.put("runs", repeats);
                row.put("to_ready_min_ms", Math.round(min(ready)));
                row.put("to_ready_median_ms", Math.round(median(ready)));
                row.put("to_ready_max_ms", Math.round(max(ready)));
                row.put("quarkus_started_in_median_ms", Math.round(median(reported)));
                report.row(row);
            }
        }
        report.note("to_ready includes JVM start, class loading, Flyway validate/migrate and the first DB "
                + "connection; quarkus_started_in is Quarkus' own figure from the log");
        return report;
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

package dev.jobflow.k8s.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import dev.jobflow.k8s.Chart;
import dev.jobflow.k8s.Rendered;
import dev.jobflow.testing.Await;
import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/**
 * The chart's dispatcher autoscaling, simulated with real processes: job-api and dispatcher
 * replicas on a fresh PostgreSQL database, the ScaledObject's rule (read from the rendered chart)
 * applied to the live GET /api/v1/queue once per polling interval, replicas started and SIGTERMed
 * like pods with the Deployment's environment and termination grace period. A backlog must scale
 * out to ceil(N / slots), the drained queue must scale back in to the minimum, and no job may be
 * lost or fail while replicas are removed. Writes target/scaling-simulation.txt.
 */
class ScalingSimulationIT {
    private static final int GLOBAL_CAP = 3;
    private static final int SHORT_JOBS = 12;
    /** Long enough that the backlog outlives a replica's start (JVM start-up on a loaded machine). */
    private static final double SHORT_SECONDS = 2.0;
    private static final int LONG_JOBS = 2;
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @Test
    void backlogScalesOutDrainedQueueScalesInAndNoJobIsLost() throws Exception {
        Path dispatcherJar = ServiceProcess.jar(ServiceProcess.module("dispatcher"));
        Path apiJar = ServiceProcess.jar(ServiceProcess.module("job-api"));
        Assumptions.assumeTrue(Files.exists(dispatcherJar),
                "dispatcher not built (" + dispatcherJar + " missing): run ./mvnw package -pl dispatcher -am first");
        Assumptions.assumeTrue(Files.exists(apiJar), "job-api not built (" + apiJar + " missing)");

        Rendered chart = Chart.render(Map.of("dispatcher.globalCap", GLOBAL_CAP, "dispatcher.slots", 1,
                "dispatcher.drainGraceSeconds", 10, "autoscaling.pollingIntervalSeconds", 1,
                "autoscaling.scaleDownStabilizationSeconds", 4, "autoscaling.scaleDownPeriodSeconds", 3));
        ScalingRule rule = ScalingRule.of(chart.custom("ScaledObject").get(0));
        Deployment deployment = chart.all(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().endsWith("-dispatcher")).findFirst().orElseThrow();
        Duration grace = Duration.ofSeconds(deployment.getSpec().getTemplate().getSpec()
                .getTerminationGracePeriodSeconds());

        try (TestDatabase db = TestDatabase.create("k8s_sim")) {
            Map<String, String> dbEnv = Map.of("JOBFLOW_DB_URL", db.jdbcUrl(), "JOBFLOW_DB_USER", db.user(),
                    "JOBFLOW_DB_PASSWORD", db.password(), "JOBFLOW_MIGRATE_AT_START", "false");
            Map<String, String> dispatcherEnv = new LinkedHashMap<>(podEnv(deployment));
            dispatcherEnv.putAll(dbEnv);
            Map<String, String> apiEnv = new LinkedHashMap<>(dbEnv);
            // scaled from zero: no dispatcher has registered the job types yet when the backlog is submitted
            apiEnv.put("JOBFLOW_API_SUBMIT_UNKNOWN_TYPES", "true");
            try (ServiceProcess api = ServiceProcess.start("job-api", ServiceProcess.module("job-api"),
                    "JOBFLOW_API_PORT", apiEnv);
                    DispatcherFleet fleet = new DispatcherFleet(ServiceProcess.module("dispatcher"), dispatcherEnv,
                            grace)) {
                api.awaitReady(Duration.ofSeconds(60));
                Instant start = Instant.now();
                fleet.scaleTo(rule.min(), List.of(), 0);
                Await.until("first replica ready", Duration.ofSeconds(60), () -> fleet.ready() == rule.min());

                JobApiClient client = new JobApiClient(api.baseUrl(), db.createJobApiKey("k8s-sim"));
                List<Long> jobs = new ArrayList<>();
                for (int i = 0; i < SHORT_JOBS; i++) {
                    jobs.add(client.submit("short-" + i, "demo", Map.of("duration", SHORT_SECONDS, "step", 0.5)));
                }
                for (int i = 0; i < LONG_JOBS; i++) {
                    jobs.add(client.submit("long-" + i, "demo", Map.of("duration", 4.0, "step", 0.5)));
                }

                Timeline timeline = new Timeline();
                Instant deadline = Instant.now().plus(DEADLINE);
                while (Instant.now().isBefore(deadline)) {
                    Instant now = Instant.now();
                    Map<String, Double> queue = client.queue();
                    Set<String> busyOwners = client.runningLeaseOwners();
                    long live = (long) (queue.get("ready") + queue.get("running") + queue.getOrDefault("delayed", 0.0));
                    int desired = rule.desired(queue, fleet.size(), now);
                    long millis = Duration.between(start, now).toMillis();
                    fleet.scaleTo(desired, busyOwners, millis);
                    timeline.add(new Timeline.Sample(millis / 1000.0, queue.get("ready").longValue(),
                            queue.get("running").longValue(), queue.getOrDefault("delayed", 0.0).longValue(), desired,
                            fleet.size(), fleet.ready(), fleet.stopping(), (int) (jobs.size() - live)));
                    if (live == 0 && fleet.size() == rule.min() && fleet.stopping() == 0) {
                        break;
                    }
                    Thread.sleep(Math.max(0, rule.pollingInterval().toMillis()
                            - Duration.between(now, Instant.now()).toMillis()));
                }
                fleet.awaitStopped();

                List<String> notCompleted = new ArrayList<>();
                int retried = 0;
                for (long id : jobs) {
                    JsonNode job = client.job(id);
                    if (!job.path("status").asText().equals("COMPLETED")) {
                        notCompleted.add(id + "=" + job.path("status").asText() + " " + job.path("error").asText(""));
                    }
                    if (job.path("attempts").asInt() > 1) {
                        retried++;
                    }
                }
                String report = report(rule, grace, timeline, fleet, jobs.size(), notCompleted, retried);
                Path file = Path.of("target/scaling-simulation.txt");
                Files.writeString(file, report);
                System.out.println(report);

                // Not asserted: a dispatcher whose drain ends quickly may not exit (its dispatch cycle
                // restarts on the closed pool) and is SIGKILLed after the grace period like a pod; a
                // dispatcher bug described in docs/kubernetes.md. The report lists such replicas; no job
                // may be lost either way (asserted below).
                assertThat(notCompleted).as("jobs lost or failed").isEmpty();
                assertThat(timeline.maxReplicas()).as("scaled out to ceil(N / slots)").isEqualTo(rule.max());
                assertThat(timeline.maxRunning()).as("global cap N").isLessThanOrEqualTo(GLOBAL_CAP);
                assertThat(fleet.size()).as("scaled back in to minReplicaCount").isEqualTo(rule.min());
                assertThat(fleet.events()).as("replicas were removed").anyMatch(e -> e.contains("SIGTERM"));
            }
        }
    }

    /** The Deployment's literal env for the dispatcher container (slots, cap, drain grace, ...). */
    private static Map<String, String> podEnv(Deployment deployment) {
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        container.getEnv().stream().filter(e -> e.getValue() != null)
                .filter(e -> !e.getName().equals("JAVA_TOOL_OPTIONS") && !e.getName().equals("JOBFLOW_DISPATCHER_PORT"))
                .forEach(e -> env.put(e.getName(), e.getValue()));
        return env;
    }

    private static String report(ScalingRule rule, Duration grace, Timeline timeline, DispatcherFleet fleet, int jobs,
            List<String> notCompleted, int retried) {
        return "Dispatcher scaling simulation (real job-api + dispatcher processes, PostgreSQL)\n"
                + "rule (from the rendered ScaledObject): " + rule + "\n"
                + "global cap N=" + GLOBAL_CAP + ", termination grace " + grace.toSeconds() + "s, workload "
                + SHORT_JOBS + " x " + SHORT_SECONDS + "s + " + LONG_JOBS + " x 4s demo jobs\n\n"
                + timeline.table() + "\nEvents:\n  " + String.join("\n  ", fleet.events()) + "\n\n"
                + "Result: " + jobs + " jobs submitted, " + (jobs - notCompleted.size()) + " completed, "
                + notCompleted.size() + " lost or failed " + notCompleted + ", " + retried + " retried (attempts > 1); "
                + "max replicas " + timeline.maxReplicas() + " (bound " + rule.max() + "), max running "
                + timeline.maxRunning() + " (cap " + GLOBAL_CAP + "), final replicas " + fleet.size()
                + ", replicas SIGKILLed after the grace period (dispatcher shutdown bug): " + fleet.failures() + "\n";
    }
}

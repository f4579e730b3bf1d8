package dev.jobflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * Every environment variable the chart sets is one the service in that container really reads
 * (its application.properties expressions and @ConfigMapping members, see {@link ServiceSettings}),
 * and the chart's drain timings default to the services' own defaults.
 */
class ServiceEnvTest {
    /** Read by the JVM itself. */
    private static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS");
    /** Quarkus' own properties the chart sets on purpose (quarkus.shutdown.timeout, quarkus.init-and-exit). */
    private static final Set<String> QUARKUS = Set.of("QUARKUS_SHUTDOWN_TIMEOUT", "QUARKUS_INIT_AND_EXIT");

    static Stream<String> valueSets() {
        return ValueSets.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyEnvVarTheChartSetsIsReadByItsService(String valueSet) {
        Map<String, ServiceSettings> services = Map.of("job-api", ServiceSettings.of("job-api"), "dispatcher",
                ServiceSettings.of("dispatcher"), "progress-hub", ServiceSettings.of("progress-hub"));
        Rendered rendered = Chart.renderWithMigrationJob(valueSet);
        List<String> unread = new ArrayList<>();
        int checked = 0;
        for (Deployment d : rendered.all(Deployment.class)) {
            // the container is named after its service (dispatcher groups run the dispatcher)
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                assertThat(c.getImage()).as(d.getMetadata().getName()).contains("/" + c.getName() + ":");
                checked += collectUnread(services.get(c.getName()), d.getMetadata().getName(), c, unread);
            }
        }
        for (Job job : rendered.all(Job.class)) { // the migration runs the job-api image
            for (Container c : job.getSpec().getTemplate().getSpec().getContainers()) {
                checked += collectUnread(services.get("job-api"), job.getMetadata().getName(), c, unread);
            }
        }
        assertThat(checked).as("env vars checked").isGreaterThan(20);
        assertThat(unread).as("env vars no service reads").isEmpty();
    }

    private static int collectUnread(ServiceSettings settings, String where, Container c, List<String> unread) {
        assertThat(settings).as("service of " + where).isNotNull();
        for (EnvVar var : c.getEnv()) {
            String name = var.getName();
            if (!JVM.contains(name) && !QUARKUS.contains(name) && !settings.reads(name)) {
                unread.add(where + ": " + name);
            }
        }
        return c.getEnv().size();
    }

    @Test
    void theCheckKnowsTheRealNamesAndRefusesGuessedOnes() {
        ServiceSettings hub = ServiceSettings.of("progress-hub");
        assertThat(hub.names()).contains("JOBFLOW_TOKEN_SECRET", "JOBFLOW_HUB_DRAIN_PERIOD",
                "JOBFLOW_HUB_SHUTDOWN_TIMEOUT", "JOBFLOW_HUB_WS_MAX_ROOMS", "JOBFLOW_DB_URL", "JOBFLOW_STORE_BACKEND");
        assertThat(hub.names()).doesNotContain("JOBFLOW_HUB_JWT_SIGNING_KEY", "JOBFLOW_HUB_API_KEY_HASHES",
                "JOBFLOW_HUB_DRAIN_GRACE", "JOBFLOW_HUB_DRAIN", "JOBFLOW_HUB_WS");
        ServiceSettings dispatcher = ServiceSettings.of("dispatcher");
        assertThat(dispatcher.names()).contains("JOBFLOW_DISPATCHER_SLOTS", "JOBFLOW_DISPATCHER_GLOBAL_CAP",
                "JOBFLOW_DISPATCHER_DRAIN_GRACE", "JOBFLOW_DISPATCHER_PORT", "JOBFLOW_DISPATCHER_QUEUES");
        assertThat(ServiceSettings.of("job-api").names()).contains("JOBFLOW_HUB_URL", "JOBFLOW_TOKEN_SECRET",
                "JOBFLOW_API_PAGE_HUB_URL", "JOBFLOW_API_METRICS_REFRESH").doesNotContain("JOBFLOW_DISPATCHER_SLOTS");
    }

    @Test
    void drainTimingsDefaultToTheServicesOwnDefaults() {
        Rendered rendered = Chart.render("defaults");
        assertThat(env(rendered, "jobflow-dispatcher").get("JOBFLOW_DISPATCHER_DRAIN_GRACE"))
                .isEqualTo(ServiceSettings.of("dispatcher").defaultOf("JOBFLOW_DISPATCHER_DRAIN_GRACE")).isEqualTo("20s");
        assertThat(env(rendered, "jobflow-progress-hub").get("JOBFLOW_HUB_DRAIN_PERIOD"))
                .isEqualTo(ServiceSettings.of("progress-hub").defaultOf("JOBFLOW_HUB_DRAIN_PERIOD")).isEqualTo("10s");
    }

    @Test
    void tokenSecretReachesJobApiAndHubAndThePageFindsTheHub() {
        Rendered shared = Chart.render("defaults");
        for (String d : List.of("jobflow-job-api", "jobflow-progress-hub")) {
            assertThat(names(shared, d)).as("no secret set: shared through the database").doesNotContain(
                    "JOBFLOW_TOKEN_SECRET");
        }
        assertThat(env(shared, "jobflow-job-api")).containsEntry("JOBFLOW_HUB_URL", "http://jobflow.example.com");

        Rendered set = Chart.render("defaults", Map.of("progressHub.auth.tokenSecret",
                "0123456789abcdef0123456789abcdef", "ingress.tls.enabled", true));
        for (String d : List.of("jobflow-job-api", "jobflow-progress-hub")) {
            EnvVar secret = container(set, d).getEnv().stream().filter(e -> e.getName().equals("JOBFLOW_TOKEN_SECRET"))
                    .findFirst().orElseThrow(() -> new AssertionError("no token secret on " + d));
            assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo("jobflow-hub");
            assertThat(secret.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token-secret");
        }
        assertThat(env(set, "jobflow-job-api")).containsEntry("JOBFLOW_HUB_URL", "https://jobflow.example.com");
    }

    private static Container container(Rendered rendered, String deployment) {
        return rendered.one(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, String> env(Rendered rendered, String deployment) {
        return Env.plain(container(rendered, deployment));
    }

    private static List<String> names(Rendered rendered, String deployment) {
        return container(rendered, deployment).getEnv().stream().map(EnvVar::getName).toList();
    }
}

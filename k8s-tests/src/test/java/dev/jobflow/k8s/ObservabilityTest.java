package dev.jobflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

/**
 * The Grafana dashboard and the alert rules: installed only when asked, and then exactly the files in
 * the chart (the dashboard ConfigMap with the Grafana sidecar's label, the rules as a PrometheusRule).
 */
class ObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void neitherIsInstalledByDefault() {
        Rendered rendered = Chart.render("defaults");
        assertThat(rendered.find(ConfigMap.class, "jobflow-grafana-dashboard")).isEmpty();
        assertThat(rendered.custom("PrometheusRule")).isEmpty();
    }

    @Test
    void whenAskedTheDashboardAndTheRulesAreTheFilesInTheChart() throws IOException {
        Rendered rendered = Chart.render(Map.of(
                "observability.grafanaDashboard.enabled", true,
                "observability.grafanaDashboard.annotations.grafana_folder", "Jobflow",
                "observability.prometheusRule.enabled", true,
                "observability.prometheusRule.labels.release", "kube-prometheus-stack"));

        ConfigMap dashboard = rendered.one(ConfigMap.class, "jobflow-grafana-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Jobflow");
        JsonNode shipped = JSON.readTree(Files.readString(chartFile("dashboards/jobflow.json")));
        assertThat(JSON.readTree(dashboard.getData().get("jobflow.json"))).isEqualTo(shipped);
        assertThat(shipped.get("panels")).hasSizeGreaterThanOrEqualTo(10);

        List<GenericKubernetesResource> rules = rendered.custom("PrometheusRule");
        assertThat(rules).hasSize(1);
        GenericKubernetesResource rule = rules.get(0);
        assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        JsonNode spec = JSON.valueToTree(rule.getAdditionalProperties().get("spec"));
        JsonNode file = YAML.readTree(Files.readString(chartFile("alerts/jobflow-rules.yaml")));
        assertThat(spec).isEqualTo(file);
        assertThat(spec.findValuesAsText("alert")).containsExactlyInAnyOrder("JobflowQueueNotDraining",
                "JobflowJobsFailing", "JobflowDispatchersGone", "JobflowLeasesExpiring", "JobflowHubTailerLagging");
    }

    @Test
    void tracingEgressIsOpenedForTheServicesNotForTheMigration() {
        Rendered rendered = Chart.render(Map.of("networkPolicy.telemetryEgress[0].ports[0].port", 4317));
        for (String component : List.of("job-api", "dispatcher", "progress-hub")) {
            NetworkPolicy policy = rendered.one(NetworkPolicy.class, "jobflow-" + component);
            assertThat(policy.getSpec().getEgress()).as(component)
                    .anySatisfy(rule -> assertThat(rule.getPorts().get(0).getPort().getIntVal()).isEqualTo(4317));
        }
        assertThat(rendered.one(NetworkPolicy.class, "jobflow-migration").getSpec().getEgress())
                .noneSatisfy(rule -> assertThat(rule.getPorts().get(0).getPort().getIntVal()).isEqualTo(4317));
    }

    private static Path chartFile(String name) {
        return Chart.chartDir().resolve(name);
    }
}

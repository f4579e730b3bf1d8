package dev.jobflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

/**
 * Dispatcher groups (dispatcher.groups): one more dispatcher Deployment per group serving only its
 * queues, with its own slots, selector and autoscaling on those queues' depth; and the main
 * dispatcher's own queue list (dispatcher.queues). Rendered from k8s/examples/queue-groups.yaml
 * (reports: [reports], 2 slots, max 3; exports: [exports, exports-bulk], 4 slots, 0..2).
 */
class QueueGroupsTest {
    private static final String DISPATCHERS = "jobflow-dispatcher";

    @Test
    void eachGroupIsADispatcherServingItsQueuesWithItsSlots() {
        Rendered rendered = Chart.render("queue-groups");
        Map<String, String> main = env(rendered, DISPATCHERS);
        Map<String, String> reports = env(rendered, "jobflow-dispatcher-reports");
        Map<String, String> exports = env(rendered, "jobflow-dispatcher-exports");
        assertThat(main).containsEntry("JOBFLOW_DISPATCHER_QUEUES", "default")
                .containsEntry("JOBFLOW_DISPATCHER_SLOTS", "1");
        assertThat(reports).containsEntry("JOBFLOW_DISPATCHER_QUEUES", "reports")
                .containsEntry("JOBFLOW_DISPATCHER_SLOTS", "2");
        assertThat(exports).containsEntry("JOBFLOW_DISPATCHER_QUEUES", "exports,exports-bulk")
                .containsEntry("JOBFLOW_DISPATCHER_SLOTS", "4");
        for (Map<String, String> group : List.of(reports, exports)) {
            assertThat(group).as("the same global cap, drain grace and port as the main dispatcher")
                    .containsEntry("JOBFLOW_DISPATCHER_GLOBAL_CAP", "12")
                    .containsEntry("JOBFLOW_DISPATCHER_DRAIN_GRACE", main.get("JOBFLOW_DISPATCHER_DRAIN_GRACE"))
                    .containsEntry("JOBFLOW_DISPATCHER_PORT", main.get("JOBFLOW_DISPATCHER_PORT"));
        }
        Deployment mainDeployment = rendered.one(Deployment.class, DISPATCHERS);
        for (String name : List.of("jobflow-dispatcher-reports", "jobflow-dispatcher-exports")) {
            Deployment group = rendered.one(Deployment.class, name);
            Container c = container(group);
            assertThat(c.getName()).isEqualTo("dispatcher");
            assertThat(c.getImage()).isEqualTo(container(mainDeployment).getImage());
            assertThat(group.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                    .isEqualTo(mainDeployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
            assertThat(group.getSpec().getReplicas()).as("the autoscaler owns %s", name).isNull();
        }
        // optional pod settings default to the main dispatcher's
        assertThat(container(rendered.one(Deployment.class, "jobflow-dispatcher-reports")).getResources())
                .isEqualTo(container(mainDeployment).getResources());
        Deployment exportsDeployment = rendered.one(Deployment.class, "jobflow-dispatcher-exports");
        assertThat(container(exportsDeployment).getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
        assertThat(exportsDeployment.getSpec().getTemplate().getSpec().getNodeSelector())
                .containsEntry("jobflow.dev/pool", "batch");
    }

    @Test
    void groupsNeverSelectEachOthersPods() {
        Rendered rendered = Chart.render("queue-groups");
        List<Deployment> dispatchers = rendered.all(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().startsWith(DISPATCHERS)).toList();
        assertThat(dispatchers).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrder(DISPATCHERS,
                "jobflow-dispatcher-reports", "jobflow-dispatcher-exports");
        for (Deployment d : dispatchers) {
            String name = d.getMetadata().getName();
            String component = name.equals(DISPATCHERS) ? "dispatcher" : name.substring("jobflow-".length());
            assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component",
                    component);
            for (Deployment other : dispatchers) {
                if (other == d) {
                    continue;
                }
                Map<String, String> otherPods = other.getSpec().getTemplate().getMetadata().getLabels();
                assertThat(otherPods.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet()))
                        .as("the selector of %s matches the pods of %s", name, other.getMetadata().getName()).isFalse();
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void kedaScalesEachGroupOnItsQueuesOnly() {
        Rendered rendered = Chart.render("queue-groups");
        assertThat(rendered.custom("ScaledObject")).extracting(o -> o.getMetadata().getName())
                .containsExactlyInAnyOrder(DISPATCHERS, "jobflow-dispatcher-reports", "jobflow-dispatcher-exports");
        record Expected(String name, List<String> queues, int slots, int min, int max) {
        }
        for (Expected e : List.of(new Expected("jobflow-dispatcher-reports", List.of("reports"), 2, 1, 3),
                new Expected("jobflow-dispatcher-exports", List.of("exports", "exports-bulk"), 4, 0, 2))) {
            GenericKubernetesResource so = rendered.custom("ScaledObject").stream()
                    .filter(o -> o.getMetadata().getName().equals(e.name())).findFirst().orElseThrow();
            ScaledObjectShape.check(so);
            Map<String, Object> spec = (Map<String, Object>) so.getAdditionalProperties().get("spec");
            assertThat(((Map<String, Object>) spec.get("scaleTargetRef")).get("name")).isEqualTo(e.name());
            assertThat(spec.get("minReplicaCount")).as(e.name()).isEqualTo(e.min());
            assertThat(spec.get("maxReplicaCount")).as(e.name()).isEqualTo(e.max());
            List<Map<String, Object>> triggers = (List<Map<String, Object>>) spec.get("triggers");
            List<String> expected = new ArrayList<>();
            List<String> actual = new ArrayList<>();
            for (String queue : e.queues()) {
                for (String field : List.of("ready", "running")) {
                    expected.add(field + " " + "http://jobflow-job-api.jobflow.svc:8080/api/v1/queues/" + queue);
                }
            }
            for (Map<String, Object> trigger : triggers) {
                Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
                actual.add(metadata.get("valueLocation") + " " + metadata.get("url"));
                assertThat(metadata).containsEntry("targetValue", String.valueOf(e.slots()));
            }
            assertThat(actual).as("one trigger per queue and field of %s", e.name())
                    .containsExactlyInAnyOrderElementsOf(expected);
            Map<String, Object> modifiers = (Map<String, Object>) ((Map<String, Object>) spec.get("advanced"))
                    .get("scalingModifiers");
            assertThat(modifiers).containsEntry("target", String.valueOf(e.slots()))
                    .containsEntry("metricType", "AverageValue")
                    .containsEntry("formula", String.join(" + ", triggers.stream().map(t -> (String) t.get("name"))
                            .toList()));
        }
        // the main dispatcher keeps scaling on all queues together
        GenericKubernetesResource main = rendered.custom("ScaledObject").stream()
                .filter(o -> o.getMetadata().getName().equals(DISPATCHERS)).findFirst().orElseThrow();
        Map<String, Object> mainSpec = (Map<String, Object>) main.getAdditionalProperties().get("spec");
        assertThat((List<Map<String, Object>>) mainSpec.get("triggers")).extracting(
                t -> ((Map<String, Object>) t.get("metadata")).get("url"))
                .containsOnly("http://jobflow-job-api.jobflow.svc:8080/api/v1/queue");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aKedaQueueUrlOverrideReachesTheGroupsToo() {
        Rendered rendered = Chart.render("queue-groups", Map.of("autoscaling.keda.queueUrl",
                "http://api.internal:9000/jobflow/api/v1/queue"));
        GenericKubernetesResource so = rendered.custom("ScaledObject").stream()
                .filter(o -> o.getMetadata().getName().equals("jobflow-dispatcher-reports")).findFirst().orElseThrow();
        Map<String, Object> spec = (Map<String, Object>) so.getAdditionalProperties().get("spec");
        assertThat((List<Map<String, Object>>) spec.get("triggers")).allSatisfy(t -> assertThat(
                ((Map<String, Object>) t.get("metadata")).get("url"))
                .isEqualTo("http://api.internal:9000/jobflow/api/v1/queues/reports"));
    }

    @Test
    void hpaSelectsTheGroupsQueues() {
        Rendered rendered = Chart.render("queue-groups", Map.of("autoscaling.mode", "hpa"));
        assertThat(rendered.custom("ScaledObject")).isEmpty();
        assertThat(rendered.one(HorizontalPodAutoscaler.class, DISPATCHERS).getSpec().getMetrics().get(0).getExternal()
                .getMetric().getName()).as("unchanged").isEqualTo("jobflow_queue_work");
        HorizontalPodAutoscaler reports = rendered.one(HorizontalPodAutoscaler.class, "jobflow-dispatcher-reports");
        assertThat(reports.getSpec().getScaleTargetRef().getName()).isEqualTo("jobflow-dispatcher-reports");
        assertThat(reports.getSpec().getMinReplicas()).isEqualTo(1);
        assertThat(reports.getSpec().getMaxReplicas()).isEqualTo(3);
        HorizontalPodAutoscaler exports = rendered.one(HorizontalPodAutoscaler.class, "jobflow-dispatcher-exports");
        assertThat(exports.getSpec().getMinReplicas()).as("a plain HPA cannot scale to zero").isEqualTo(1);
        assertThat(exports.getSpec().getMaxReplicas()).isEqualTo(2);
        var metric = exports.getSpec().getMetrics().get(0).getExternal();
        assertThat(metric.getMetric().getName()).isEqualTo("jobflow_queues_work");
        assertThat(metric.getTarget().getType()).isEqualTo("AverageValue");
        assertThat(metric.getTarget().getAverageValue().toString()).isEqualTo("4");
        LabelSelectorRequirement queues = metric.getMetric().getSelector().getMatchExpressions().get(0);
        assertThat(queues.getKey()).isEqualTo("queue");
        assertThat(queues.getOperator()).isEqualTo("In");
        assertThat(queues.getValues()).containsExactly("exports", "exports-bulk");
        assertThat(reports.getSpec().getMetrics().get(0).getExternal().getMetric().getSelector().getMatchExpressions()
                .get(0).getValues()).containsExactly("reports");
    }

    @Test
    void withoutAutoscalingAGroupHasItsFixedReplicas() throws IOException {
        Rendered rendered = Rendered.parse(Chart.template(List.of(valuesFile("""
                autoscaling: {mode: none}
                dispatcher:
                  groups:
                    - {name: reports, queues: [reports], replicas: 3, maxReplicas: 4}
                    - {name: exports, queues: [exports], maxReplicas: 4}
                """)), Map.of()));
        assertThat(rendered.custom("ScaledObject")).isEmpty();
        assertThat(rendered.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(rendered.one(Deployment.class, "jobflow-dispatcher-reports").getSpec().getReplicas()).isEqualTo(3);
        assertThat(rendered.one(Deployment.class, "jobflow-dispatcher-exports").getSpec().getReplicas())
                .as("default").isEqualTo(1);
        assertThat(env(rendered, "jobflow-dispatcher-exports")).as("slots default to the main dispatcher's")
                .containsEntry("JOBFLOW_DISPATCHER_SLOTS", "1");
    }

    @Test
    void theMainDispatcherIsLimitedToQueuesOnlyWhenDispatcherQueuesIsSet() throws IOException {
        for (String valueSet : ValueSets.names()) {
            if (!valueSet.equals("queue-groups")) {
                assertThat(env(Chart.render(valueSet), DISPATCHERS)).as(valueSet)
                        .doesNotContainKey("JOBFLOW_DISPATCHER_QUEUES");
            }
        }
        Rendered allQueues = Rendered.parse(Chart.template(List.of(Chart.valueFiles("queue-groups").get(0),
                valuesFile("dispatcher: {queues: []}")), Map.of()));
        assertThat(env(allQueues, DISPATCHERS)).doesNotContainKey("JOBFLOW_DISPATCHER_QUEUES");
        assertThat(env(allQueues, "jobflow-dispatcher-reports")).containsEntry("JOBFLOW_DISPATCHER_QUEUES", "reports");
        assertThat(env(Rendered.parse(Chart.template(List.of(valuesFile("dispatcher: {queues: [default, bulk]}")),
                Map.of())), DISPATCHERS))
                .containsEntry("JOBFLOW_DISPATCHER_QUEUES", "default,bulk");
    }

    /** A values file with this content, for values --set cannot express well (lists of objects). */
    static Path valuesFile(String yaml) throws IOException {
        Path file = Files.createTempFile("values-", ".yaml");
        file.toFile().deleteOnExit();
        return Files.writeString(file, yaml);
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, String> env(Rendered rendered, String deployment) {
        return Env.plain(container(rendered.one(Deployment.class, deployment)));
    }
}

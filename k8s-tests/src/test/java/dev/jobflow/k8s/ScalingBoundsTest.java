package dev.jobflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

/**
 * The dispatcher's scaling bounds follow the global cap N and the slots per replica: never more
 * replicas than ceil(N / slots) (more would only idle: the database lets at most N jobs run), a
 * target of one replica per "slots" units of work (ready + running jobs).
 */
class ScalingBoundsTest {

    @ParameterizedTest(name = "N={0} slots={1} -> max {2}")
    @CsvSource({ "4,1,4", "1,1,1", "10,3,4", "30,4,8", "5,8,1", "64,16,4" })
    @SuppressWarnings("unchecked")
    void kedaBoundsFollowTheGlobalCap(int cap, int slots, int maxReplicas) {
        Rendered rendered = Chart.render(Map.of("dispatcher.globalCap", cap, "dispatcher.slots", slots));
        List<GenericKubernetesResource> scaledObjects = rendered.custom("ScaledObject");
        assertThat(scaledObjects).hasSize(1);
        GenericKubernetesResource so = scaledObjects.get(0);
        ScaledObjectShape.check(so);
        Map<String, Object> spec = (Map<String, Object>) so.getAdditionalProperties().get("spec");
        assertThat(spec.get("maxReplicaCount")).isEqualTo(maxReplicas);
        assertThat(spec.get("minReplicaCount")).isEqualTo(1);
        assertThat(((Map<String, Object>) spec.get("scaleTargetRef")).get("name")).isEqualTo("jobflow-dispatcher");
        Map<String, Object> modifiers = (Map<String, Object>) ((Map<String, Object>) spec.get("advanced"))
                .get("scalingModifiers");
        assertThat(modifiers).containsEntry("target", String.valueOf(slots)).containsEntry("metricType", "AverageValue")
                .containsEntry("formula", "ready + running");
        for (Map<String, Object> trigger : (List<Map<String, Object>>) spec.get("triggers")) {
            Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
            assertThat(metadata).containsEntry("url", "http://jobflow-job-api.jobflow.svc:8080/api/v1/queue")
                    .containsEntry("valueLocation", trigger.get("name"));
        }
        Deployment dispatcher = rendered.one(Deployment.class, "jobflow-dispatcher");
        assertThat(dispatcher.getSpec().getReplicas()).as("the autoscaler owns the replica count").isNull();
        assertThat(Env.plain(dispatcher.getSpec().getTemplate().getSpec().getContainers().get(0)))
                .containsEntry("JOBFLOW_DISPATCHER_SLOTS", String.valueOf(slots))
                .containsEntry("JOBFLOW_DISPATCHER_GLOBAL_CAP", String.valueOf(cap));
    }

    @ParameterizedTest(name = "N={0} slots={1} -> max {2}")
    @CsvSource({ "4,1,4", "10,3,4", "30,4,8" })
    void hpaBoundsFollowTheGlobalCap(int cap, int slots, int maxReplicas) {
        Rendered rendered = Chart.render(Map.of("autoscaling.mode", "hpa", "autoscaling.scaleToZero", true,
                "dispatcher.globalCap", cap, "dispatcher.slots", slots));
        assertThat(rendered.custom("ScaledObject")).isEmpty();
        HorizontalPodAutoscaler hpa = rendered.one(HorizontalPodAutoscaler.class, "jobflow-dispatcher");
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(maxReplicas);
        assertThat(hpa.getSpec().getMinReplicas()).as("a plain HPA cannot scale to zero").isEqualTo(1);
        var metric = hpa.getSpec().getMetrics().get(0).getExternal();
        assertThat(metric.getMetric().getName()).isEqualTo("jobflow_queue_work");
        assertThat(metric.getTarget().getType()).isEqualTo("AverageValue");
        assertThat(metric.getTarget().getAverageValue().toString()).isEqualTo(String.valueOf(slots));
        assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds()).isEqualTo(60);
    }

    @ParameterizedTest(name = "N={0} slots={1} -> min 0, max {2}")
    @CsvSource({ "30,4,8", "3,1,3" })
    @SuppressWarnings("unchecked")
    void kedaCanScaleToZero(int cap, int slots, int maxReplicas) {
        GenericKubernetesResource so = Chart.render(Map.of("autoscaling.scaleToZero", true, "dispatcher.globalCap", cap,
                "dispatcher.slots", slots)).custom("ScaledObject").get(0);
        Map<String, Object> spec = (Map<String, Object>) so.getAdditionalProperties().get("spec");
        assertThat(spec.get("minReplicaCount")).isEqualTo(0);
        assertThat(spec.get("maxReplicaCount")).isEqualTo(maxReplicas);
    }

    @ParameterizedTest(name = "replicas={0} N={1} slots={2} -> {3}")
    @CsvSource({ "2,4,1,2", "10,3,1,3", "10,10,4,3" })
    void fixedReplicasNeverExceedTheCap(int replicas, int cap, int slots, int expected) {
        Rendered rendered = Chart.render(Map.of("autoscaling.mode", "none", "dispatcher.replicas", replicas,
                "dispatcher.globalCap", cap, "dispatcher.slots", slots));
        assertThat(rendered.custom("ScaledObject")).isEmpty();
        assertThat(rendered.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(rendered.one(Deployment.class, "jobflow-dispatcher").getSpec().getReplicas()).isEqualTo(expected);
    }
}

package dev.jobflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;

/**
 * KEDA's ScaledObject is a CRD, so fabric8 has no typed model for it: its shape is checked here
 * against the fields of keda.sh/v1alpha1 (KEDA 2.12+) instead, and the embedded HPA behavior is
 * parsed into the typed Kubernetes model.
 */
final class ScaledObjectShape {
    private static final Set<String> SPEC = Set.of("scaleTargetRef", "pollingInterval", "cooldownPeriod",
            "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback", "advanced",
            "triggers");
    private static final Set<String> ADVANCED = Set.of("restoreToOriginalReplicaCount", "horizontalPodAutoscalerConfig",
            "scalingModifiers");
    private static final Set<String> MODIFIERS = Set.of("formula", "target", "activationTarget", "metricType");
    private static final Set<String> TRIGGER = Set.of("type", "name", "metadata", "metricType", "useCachedMetrics",
            "authenticationRef");
    private static final Set<String> METRICS_API = Set.of("url", "format", "valueLocation", "targetValue",
            "activationTargetValue", "authMode", "unsafeSsl", "method");

    private ScaledObjectShape() {
    }

    @SuppressWarnings("unchecked")
    static void check(GenericKubernetesResource scaledObject) {
        assertThat(scaledObject.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
        Map<String, Object> spec = (Map<String, Object>) scaledObject.getAdditionalProperties().get("spec");
        assertThat(SPEC).as("ScaledObject spec fields").containsAll(spec.keySet());
        Map<String, Object> advanced = (Map<String, Object>) spec.get("advanced");
        assertThat(ADVANCED).containsAll(advanced.keySet());
        Map<String, Object> hpaConfig = (Map<String, Object>) advanced.get("horizontalPodAutoscalerConfig");
        assertThat(Set.of("behavior", "name")).containsAll(hpaConfig.keySet());
        HorizontalPodAutoscalerBehavior behavior = Rendered.SERIALIZATION.convertValue(hpaConfig.get("behavior"),
                HorizontalPodAutoscalerBehavior.class);
        assertThat(UnknownFields.of(behavior)).as("HPA behavior").isEmpty();
        Map<String, Object> modifiers = (Map<String, Object>) advanced.get("scalingModifiers");
        assertThat(MODIFIERS).containsAll(modifiers.keySet());
        assertThat(modifiers.values()).allSatisfy(v -> assertThat(v).isInstanceOf(String.class));
        for (Map<String, Object> trigger : (Iterable<Map<String, Object>>) spec.get("triggers")) {
            assertThat(TRIGGER).containsAll(trigger.keySet());
            assertThat(trigger.get("type")).isEqualTo("metrics-api");
            Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
            assertThat(METRICS_API).containsAll(metadata.keySet());
            // the CRD types trigger metadata as map<string,string>: a bare number is rejected
            assertThat(metadata.values()).as("trigger metadata values").allSatisfy(v -> assertThat(v)
                    .isInstanceOf(String.class));
            assertThat((String) modifiers.get("formula")).contains((String) trigger.get("name"));
        }
    }
}

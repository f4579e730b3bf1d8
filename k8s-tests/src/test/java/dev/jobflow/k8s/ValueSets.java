package dev.jobflow.k8s;

import java.util.Map;
import java.util.Set;

/**
 * The value sets the chart is checked with: the defaults plus each example in {@code k8s/examples},
 * with the Secrets each expects to exist already (not rendered by the chart). A new example must be
 * added here to be checked.
 */
final class ValueSets {
    static final Map<String, Set<String>> EXTERNAL_SECRETS = Map.of(
            "defaults", Set.of(),
            "oracle", Set.of("jobflow-oracle", "jobflow-hub"),
            "gateway-api", Set.of(),
            "keda-off", Set.of(),
            "queue-groups", Set.of(),
            "scale-to-zero", Set.of());

    private ValueSets() {
    }

    /** For {@code @MethodSource}. */
    static Set<String> names() {
        return EXTERNAL_SECRETS.keySet();
    }
}

package dev.jobflow.k8s.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * The dispatcher's scaling rule as the rendered KEDA ScaledObject states it, evaluated the way
 * KEDA and the HPA controller do: desired = ceil(sum of the formula's metrics / target)
 * (AverageValue), clamped to [min, max]; activation from zero when the sum exceeds the activation
 * target; scale-up and scale-down limited by the behavior's Pods policies; scale-down only to the
 * highest recommendation of the stabilization window. (Not modelled: the HPA's 10% tolerance,
 * which only matters for large replica counts.)
 */
public final class ScalingRule {
    private final List<String> metrics;
    private final double target;
    private final double activationTarget;
    private final int min;
    private final int max;
    private final Duration pollingInterval;
    private final Duration stabilization;
    private final Policy up;
    private final Policy down;
    private final Deque<Recommendation> recommendations = new ArrayDeque<>();
    private final Deque<Change> changes = new ArrayDeque<>();

    record Policy(int pods, Duration period) {
    }

    private record Recommendation(Instant at, int replicas) {
    }

    private record Change(Instant at, int delta) {
    }

    ScalingRule(List<String> metrics, double target, double activationTarget, int min, int max,
            Duration pollingInterval, Duration stabilization, Policy up, Policy down) {
        this.metrics = metrics;
        this.target = target;
        this.activationTarget = activationTarget;
        this.min = min;
        this.max = max;
        this.pollingInterval = pollingInterval;
        this.stabilization = stabilization;
        this.up = up;
        this.down = down;
    }

    /** Reads the rule from a rendered ScaledObject (metrics-api triggers + scaling modifier formula). */
    @SuppressWarnings("unchecked")
    public static ScalingRule of(GenericKubernetesResource scaledObject) {
        Map<String, Object> spec = (Map<String, Object>) scaledObject.getAdditionalProperties().get("spec");
        Map<String, Object> advanced = (Map<String, Object>) spec.get("advanced");
        Map<String, Object> modifiers = (Map<String, Object>) advanced.get("scalingModifiers");
        if (!"AverageValue".equals(modifiers.get("metricType"))) {
            throw new IllegalArgumentException("only AverageValue is simulated: " + modifiers);
        }
        // a trigger's value is known by its name in the formula (the main dispatcher's are named after
        // their valueLocation, ready and running; a group's after the field and the queue)
        List<String> names = ((List<Map<String, Object>>) spec.get("triggers")).stream()
                .map(t -> (String) t.getOrDefault("name", ((Map<String, Object>) t.get("metadata")).get("valueLocation")))
                .toList();
        String formula = ((String) modifiers.get("formula")).replace(" ", "");
        if (!formula.equals(String.join("+", names))) {
            throw new IllegalArgumentException("only a sum of the triggers is simulated: " + formula);
        }
        Map<String, Object> behavior = (Map<String, Object>) ((Map<String, Object>) advanced
                .get("horizontalPodAutoscalerConfig")).get("behavior");
        Map<String, Object> scaleDown = (Map<String, Object>) behavior.get("scaleDown");
        return new ScalingRule(names, Double.parseDouble((String) modifiers.get("target")),
                Double.parseDouble((String) modifiers.get("activationTarget")), (Integer) spec.get("minReplicaCount"),
                (Integer) spec.get("maxReplicaCount"), Duration.ofSeconds((Integer) spec.get("pollingInterval")),
                Duration.ofSeconds((Integer) scaleDown.get("stabilizationWindowSeconds")),
                policy((Map<String, Object>) behavior.get("scaleUp")), policy(scaleDown));
    }

    @SuppressWarnings("unchecked")
    private static Policy policy(Map<String, Object> rules) {
        Map<String, Object> p = ((List<Map<String, Object>>) rules.get("policies")).get(0);
        if (!"Pods".equals(p.get("type"))) {
            throw new IllegalArgumentException("only Pods policies are simulated: " + p);
        }
        return new Policy((Integer) p.get("value"), Duration.ofSeconds((Integer) p.get("periodSeconds")));
    }

    /**
     * The replica count the autoscaler sets now, given the triggers' values (by trigger name) and the
     * current count.
     */
    public synchronized int desired(Map<String, Double> queue, int current, Instant now) {
        double work = metrics.stream().mapToDouble(name -> queue.getOrDefault(name, 0.0)).sum();
        int raw = work <= activationTarget && min == 0 ? 0 : (int) Math.ceil(work / target);
        int recommended = Math.max(min, Math.min(max, raw));
        recommendations.addLast(new Recommendation(now, recommended));
        while (recommendations.peekFirst().at().isBefore(now.minus(stabilization))) {
            recommendations.removeFirst();
        }
        int stabilized = recommended;
        if (recommended < current) {
            stabilized = Math.min(current, recommendations.stream().mapToInt(Recommendation::replicas).max().orElse(0));
        }
        int next = limit(stabilized, current, now);
        if (next != current) {
            changes.addLast(new Change(now, next - current));
        }
        return next;
    }

    private int limit(int wanted, int current, Instant now) {
        if (wanted > current) {
            return Math.min(wanted, current + up.pods() - changedWithin(up.period(), now, true));
        }
        if (wanted < current) {
            return Math.max(wanted, current - (down.pods() - changedWithin(down.period(), now, false)));
        }
        return wanted;
    }

    private int changedWithin(Duration period, Instant now, boolean upwards) {
        return changes.stream().filter(c -> !c.at().isBefore(now.minus(period)))
                .filter(c -> upwards == c.delta() > 0).mapToInt(c -> Math.abs(c.delta())).sum();
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public Duration pollingInterval() {
        return pollingInterval;
    }

    @Override
    public String toString() {
        return "desired = clamp(ceil((" + String.join(" + ", metrics) + ") / " + target + "), " + min + ", " + max
                + "); scale-down window " + stabilization.toSeconds() + "s, -" + down.pods() + " pod per "
                + down.period().toSeconds() + "s; scale-up +" + up.pods() + " per " + up.period().toSeconds() + "s";
    }
}

package dev.jobflow.k8s.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import dev.jobflow.k8s.Chart;

/** The simulated rule, read from the chart's ScaledObject, against hand-computed expectations. */
class ScalingRuleTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static ScalingRule rule(Map<String, ?> set) {
        return ScalingRule.of(Chart.render(set).custom("ScaledObject").get(0));
    }

    private static Map<String, Double> queue(double ready, double running) {
        return Map.of("ready", ready, "running", running);
    }

    @Test
    void workPerReplicaIsReadyPlusRunningOverSlotsBoundedByTheCap() {
        ScalingRule rule = rule(Map.of("dispatcher.globalCap", 10, "dispatcher.slots", 3));
        assertThat(rule.max()).isEqualTo(4);
        assertThat(rule.desired(queue(2, 2), 1, T0)).isEqualTo(2); // ceil(4 / 3)
        assertThat(rule.desired(queue(100, 10), 2, T0.plusSeconds(1))).isEqualTo(4); // bounded by ceil(10 / 3)
        assertThat(rule.desired(queue(0, 0), 4, T0.plusSeconds(2))).as("still inside the stabilization window")
                .isEqualTo(4);
    }

    @Test
    void scaleDownWaitsForTheWindowAndRemovesOnePodPerPeriod() {
        ScalingRule rule = rule(Map.of("dispatcher.globalCap", 4, "autoscaling.scaleDownStabilizationSeconds", 10,
                "autoscaling.scaleDownPeriodSeconds", 5));
        assertThat(rule.desired(queue(8, 0), 1, T0)).isEqualTo(4);
        assertThat(rule.desired(queue(0, 0), 4, T0.plusSeconds(5))).isEqualTo(4);
        assertThat(rule.desired(queue(0, 0), 4, T0.plusSeconds(11))).isEqualTo(3);
        assertThat(rule.desired(queue(0, 0), 3, T0.plusSeconds(13))).as("one pod per 5 s").isEqualTo(3);
        assertThat(rule.desired(queue(0, 0), 3, T0.plusSeconds(17))).isEqualTo(2);
        assertThat(rule.desired(queue(0, 0), 2, T0.plusSeconds(23))).isEqualTo(1);
        assertThat(rule.desired(queue(0, 0), 1, T0.plusSeconds(40))).as("minReplicaCount").isEqualTo(1);
    }

    @Test
    void aDispatcherGroupScalesOnItsOwnQueuesOnly() {
        GenericKubernetesResource so = Chart.render("queue-groups").custom("ScaledObject").stream()
                .filter(o -> o.getMetadata().getName().equals("jobflow-dispatcher-exports")).findFirst().orElseThrow();
        ScalingRule rule = ScalingRule.of(so); // exports and exports-bulk, 4 slots, 0..2 replicas
        assertThat(rule.min()).isZero();
        assertThat(rule.max()).isEqualTo(2);
        assertThat(rule.desired(Map.of("ready_exports", 3.0, "running_exports", 1.0, "ready_exports_bulk", 0.0,
                "running_exports_bulk", 1.0), 0, T0)).as("ceil(5 / 4)").isEqualTo(2);
        ScalingRule fresh = ScalingRule.of(so);
        assertThat(fresh.desired(Map.of("ready", 40.0, "running", 8.0, "ready_reports", 9.0), 0, T0))
                .as("other queues' work (and the whole-queue figures) do not count").isZero();
        assertThat(fresh.desired(Map.of("ready_exports_bulk", 1.0), 0, T0.plusSeconds(1))).isEqualTo(1);
    }

    @Test
    void scaleToZeroActivatesOnTheFirstJob() {
        ScalingRule rule = rule(Map.of("autoscaling.scaleToZero", true, "autoscaling.scaleDownStabilizationSeconds", 0));
        assertThat(rule.desired(queue(0, 0), 0, T0)).isZero();
        assertThat(rule.desired(queue(1, 0), 0, T0.plusSeconds(1))).isEqualTo(1);
        assertThat(rule.desired(queue(0, 1), 1, T0.plusSeconds(2))).as("a running job keeps its replica")
                .isEqualTo(1);
    }
}

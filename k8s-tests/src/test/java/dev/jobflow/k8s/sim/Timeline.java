package dev.jobflow.k8s.sim;

import java.util.ArrayList;
import java.util.List;

/** What the simulation saw at each autoscaler poll, and the report made from it. */
final class Timeline {
    record Sample(double seconds, long ready, long running, long delayed, int desired, int replicas, int readyReplicas,
            int stopping, int done) {
    }

    private final List<Sample> samples = new ArrayList<>();

    void add(Sample sample) {
        samples.add(sample);
    }

    List<Sample> samples() {
        return samples;
    }

    int maxReplicas() {
        return samples.stream().mapToInt(Sample::replicas).max().orElse(0);
    }

    long maxRunning() {
        return samples.stream().mapToLong(Sample::running).max().orElse(0);
    }

    /** One row per poll: queue depth against replicas, with a bar of each. */
    String table() {
        StringBuilder out = new StringBuilder(
                "     t  ready running delayed | desired replicas   up stopping | done | queue (#=ready+running) / replicas (R)\n");
        for (Sample s : samples) {
            out.append(String.format("%5.1fs %6d %7d %7d | %7d %8d %5d %8d | %4d | %-30s %s%n", s.seconds(), s.ready(),
                    s.running(), s.delayed(), s.desired(), s.replicas(), s.readyReplicas(), s.stopping(), s.done(),
                    "#".repeat((int) Math.min(30, s.ready() + s.running())), "R".repeat(s.replicas())));
        }
        return out.toString();
    }
}

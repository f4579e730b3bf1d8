package dev.jobflow.core.model;

import java.time.Instant;

/** One dispatch cycle of one replica: the seed's log of frequency and messages per second. */
public record CycleRecord(String replicaId, Instant startedAt, Instant endedAt, int polls, int claimed, int completed,
        int failed) {

    public double jobsPerSecond() {
        double seconds = Math.max(0.001, (endedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0);
        return (completed + failed) / seconds;
    }
}

package dev.jobflow.core.model;

import java.time.Duration;

/**
 * What one retention pass removes, at most {@code batch} rows of each kind: finished jobs (with
 * their runs and log lines) older than {@code jobsMaxAge} or beyond the newest
 * {@code jobsMaxCount}, cycle rows older than {@code cyclesMaxAge}, unique keys whose period ended,
 * replicas not seen for {@code replicasMaxAge}, and audit entries older than {@code auditMaxAge}. Queued and running jobs are
 * never removed.
 */
public record RetentionPolicy(Duration jobsMaxAge, long jobsMaxCount, Duration cyclesMaxAge, Duration replicasMaxAge,
        Duration auditMaxAge, int batch) {
    public RetentionPolicy {
        if (batch < 1 || jobsMaxCount < 0) {
            throw new IllegalArgumentException("batch must be positive and jobsMaxCount not negative");
        }
    }
}

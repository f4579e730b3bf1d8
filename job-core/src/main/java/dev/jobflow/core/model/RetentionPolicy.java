package dev.jobflow.core.model;

import java.time.Duration;

/**
 * What one retention pass removes, at most {@code batch} rows of each kind: finished jobs (with
 * their runs and log lines) older than {@code jobsMaxAge} or beyond the newest
 * {@code jobsMaxCount}, cycle rows older than {@code cyclesMaxAge}, unique keys whose period ended,
 * replicas not seen for {@code replicasMaxAge}, audit entries older than {@code auditMaxAge}, and
 * messages of the queue's exception queue (Oracle AQ) older than {@code exceptionQueueMaxAge} or
 * beyond the newest {@code exceptionQueueMaxCount}. Queued and running jobs are never removed.
 */
public record RetentionPolicy(Duration jobsMaxAge, long jobsMaxCount, Duration cyclesMaxAge, Duration replicasMaxAge,
        Duration auditMaxAge, Duration exceptionQueueMaxAge, long exceptionQueueMaxCount, int batch) {

    /** The exception queue's defaults: a week, 10,000 messages. */
    public static final Duration EXCEPTION_QUEUE_MAX_AGE = Duration.ofDays(7);
    public static final long EXCEPTION_QUEUE_MAX_COUNT = 10_000;

    public RetentionPolicy {
        if (batch < 1 || jobsMaxCount < 0 || exceptionQueueMaxCount < 0) {
            throw new IllegalArgumentException("batch must be positive, jobsMaxCount and exceptionQueueMaxCount not negative");
        }
    }

    /** With the exception queue's defaults. */
    public RetentionPolicy(Duration jobsMaxAge, long jobsMaxCount, Duration cyclesMaxAge, Duration replicasMaxAge,
            Duration auditMaxAge, int batch) {
        this(jobsMaxAge, jobsMaxCount, cyclesMaxAge, replicasMaxAge, auditMaxAge, EXCEPTION_QUEUE_MAX_AGE,
                EXCEPTION_QUEUE_MAX_COUNT, batch);
    }
}

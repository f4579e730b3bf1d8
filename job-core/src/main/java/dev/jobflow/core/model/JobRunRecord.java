package dev.jobflow.core.model;

import java.time.Instant;

/**
 * One attempt of a job as it ended: which replica ran it, when, and how it ended. {@code outcome} is
 * COMPLETED, FAILED (also a retried failure, a timeout or a lost lease: {@code error} says which),
 * CANCELLED or RELEASED (handed back on drain, no attempt spent).
 */
public record JobRunRecord(long id, long jobId, int attempt, String replica, Instant startedAt, Instant endedAt,
        String outcome, String error) {
}

package dev.jobflow.core.model;

import java.time.Instant;
import java.util.Map;

/**
 * A job as stored: what was asked, where it is, who holds it. {@code scheduleName} and
 * {@code scheduledFor} name the schedule that fired it and the time it was due; {@code result} is the
 * JSON value its handler returned (maps, lists, strings, numbers, booleans; null: none).
 */
public record Job(
        long id,
        String name,
        String owner,
        String type,
        Map<String, Object> params,
        JobStatus status,
        int progressPct,
        String progressMessage,
        int priority,
        int attempts,
        int maxAttempts,
        Instant runAt,
        String leaseOwner,
        Instant leaseExpiresAt,
        boolean cancelRequested,
        String idempotencyKey,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        String queue,
        Integer timeoutSeconds,
        String uniqueKey,
        String scheduleName,
        Instant scheduledFor,
        Object result) {
}

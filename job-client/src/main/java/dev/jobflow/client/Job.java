package dev.jobflow.client;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A job as job-api returns it ({@code GET /api/v1/jobs/{id}}). Fields the server adds later are ignored.
 *
 * @param progressPct 0 to 100
 * @param idempotencyKey the key the job was submitted with, if any
 * @param error why the last attempt failed, if it did
 * @param queue the named queue it runs in
 * @param timeoutSeconds how long an attempt may run, if limited
 * @param uniqueKey its unique key, if any
 * @param scheduleName the schedule that fired it, if any
 * @param scheduledFor when that schedule was due
 * @param result the JSON value its handler returned (maps, lists, strings, numbers, booleans), if any
 */
@JsonIgnoreProperties(ignoreUnknown = true)
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

    /** Whether the job is in an end state (COMPLETED, FAILED or CANCELLED). */
    public boolean isTerminal() {
        return status != null && status.isTerminal();
    }
}

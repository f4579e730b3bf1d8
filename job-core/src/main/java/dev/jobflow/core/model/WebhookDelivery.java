package dev.jobflow.core.model;

import java.time.Instant;

/**
 * One attempt to deliver an event of a job to its queue's webhook: the HTTP status (null when no
 * answer came), and the outcome: DELIVERED (2xx), RETRY (failed, due again later) or GAVE_UP
 * (failed, attempts spent).
 */
public record WebhookDelivery(long id, long jobId, long eventId, String event, int attempt, String url,
        Integer statusCode, String outcome, String error, Instant at) {
}

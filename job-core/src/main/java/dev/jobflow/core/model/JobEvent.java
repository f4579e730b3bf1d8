package dev.jobflow.core.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * One lifecycle change of a job as the outbox holds it (V018): written in the transaction that made
 * the change. {@code event} is SUBMITTED, STARTED, COMPLETED, FAILED, CANCELLED or RETRYING (back
 * to the queue: a retried failure, a hand-back, an operator's retry); {@code error} is set for
 * FAILED and RETRYING. {@code sentAt}: when the broker relay published it (null: waiting).
 */
public record JobEvent(long id, long jobId, String queue, String jobType, String event, int attempt, String error,
        Instant at, Instant sentAt) {

    /**
     * The event as it is published (broker message body, webhook request body):
     * {@code {"id", "event", "job_id", "queue", "type", "attempt", "error", "at"}}. {@code id} is
     * unique and grows per job: a consumer drops what it has seen (delivery is at least once).
     */
    public String toJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("event", event);
        fields.put("job_id", jobId);
        fields.put("queue", queue);
        fields.put("type", jobType);
        fields.put("attempt", attempt);
        fields.put("error", error);
        fields.put("at", at == null ? null : at.toString());
        return new JsonObject(fields).encode();
    }
}

package dev.jobflow.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A job to submit ({@code POST /api/v1/jobs}). Only {@code name} and {@code type} are required; the server
 * applies its defaults to the rest (the queue's priority, attempts and timeout, run now, queue {@code default},
 * owner = the calling person; an API key must name the owner).
 *
 * <pre>{@code
 * SubmitRequest request = SubmitRequest.builder("nightly load", "demo").owner("alice")
 *         .param("duration", 10).idempotencyKey("load-2026-11-28").build();
 * }</pre>
 *
 * @param queue the named queue (default {@code default}); it must exist, else 400
 * @param timeoutSeconds how long an attempt may run before it is interrupted and fails as timed out (default: the
 *        queue's)
 * @param unique at most one job of this key in the queue; a duplicate returns the existing job
 * @param idempotencyKey sent as the {@code Idempotency-Key} header, not in the body: the same key (from the
 *        same caller) returns the existing job instead of a duplicate; the same key with a different request
 *        is refused with 422
 */
public record SubmitRequest(
        String name,
        String owner,
        String type,
        Map<String, Object> params,
        Integer priority,
        Integer maxAttempts,
        Instant runAt,
        String queue,
        Integer timeoutSeconds,
        Unique unique,
        String idempotencyKey) {

    public SubmitRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        params = params == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * A unique job: while a job of {@code key} is queued or running in the queue (or, with {@code periodSeconds},
     * for that long after the first submit), submitting another returns that job.
     */
    public record Unique(String key, Integer periodSeconds) {
        public Unique {
            Objects.requireNonNull(key, "key");
        }
    }

    public static Builder builder(String name, String type) {
        return new Builder(name, type);
    }

    /** This request with another idempotency key. */
    public SubmitRequest withIdempotencyKey(String key) {
        return new SubmitRequest(name, owner, type, params, priority, maxAttempts, runAt, queue, timeoutSeconds, unique,
                key);
    }

    /** The JSON body: the request without the key, without the parts left out. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (owner != null) {
            body.put("owner", owner);
        }
        body.put("type", type);
        if (params != null) {
            body.put("params", params);
        }
        if (priority != null) {
            body.put("priority", priority);
        }
        if (maxAttempts != null) {
            body.put("maxAttempts", maxAttempts);
        }
        if (runAt != null) {
            body.put("runAt", runAt.toString());
        }
        if (queue != null) {
            body.put("queue", queue);
        }
        if (timeoutSeconds != null) {
            body.put("timeoutSeconds", timeoutSeconds);
        }
        if (unique != null) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("key", unique.key());
            if (unique.periodSeconds() != null) {
                u.put("periodSeconds", unique.periodSeconds());
            }
            body.put("unique", u);
        }
        return body;
    }

    /** Builds a {@link SubmitRequest}. */
    public static final class Builder {
        private final String name;
        private final String type;
        private String owner;
        private Map<String, Object> params;
        private Integer priority;
        private Integer maxAttempts;
        private Instant runAt;
        private String queue;
        private Integer timeoutSeconds;
        private Unique unique;
        private String idempotencyKey;

        private Builder(String name, String type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
        }

        /** Who the job is for; required with an API key, optional for a person (defaults to them). */
        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        /** All parameters at once (a JSON object), replacing any set before. */
        public Builder params(Map<String, ?> params) {
            this.params = params == null ? null : new LinkedHashMap<>(params);
            return this;
        }

        /** One parameter. */
        public Builder param(String name, Object value) {
            if (params == null) {
                params = new LinkedHashMap<>();
            }
            params.put(name, value);
            return this;
        }

        /** Higher runs first (-1000 to 1000). */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /** How many times it may be tried (1 to 100). */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Do not start before this instant. */
        public Builder runAt(Instant runAt) {
            this.runAt = runAt;
            return this;
        }

        /** The named queue (it must exist: {@code PUT /api/v1/queues/{name}}); default {@code default}. */
        public Builder queue(String queue) {
            this.queue = queue;
            return this;
        }

        /** Seconds an attempt may run before it is interrupted and fails as timed out (1 to 604800). */
        public Builder timeoutSeconds(int timeoutSeconds) {
            this.timeoutSeconds = timeoutSeconds;
            return this;
        }

        /** At most one job of {@code key} in the queue while one is queued or running. */
        public Builder unique(String key) {
            return unique(key, null);
        }

        /** At most one job of {@code key} in the queue, also for {@code period} after the first submit. */
        public Builder unique(String key, Duration period) {
            this.unique = new Unique(key, period == null ? null : Math.toIntExact(period.toSeconds()));
            return this;
        }

        /** Sent as {@code Idempotency-Key}: a retry with the same key never makes a second job. */
        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        public SubmitRequest build() {
            return new SubmitRequest(name, owner, type, params, priority, maxAttempts, runAt, queue, timeoutSeconds,
                    unique, idempotencyKey);
        }
    }
}

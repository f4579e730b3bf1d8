package dev.jobflow.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A job to submit ({@code POST /api/v1/jobs}). Only {@code name} and {@code type} are required; the server
 * applies its defaults to the rest (priority 0, 3 attempts, run now, owner = the calling person; an API key
 * must name the owner).
 *
 * <pre>{@code
 * SubmitRequest request = SubmitRequest.builder("nightly load", "demo").owner("alice")
 *         .param("duration", 10).idempotencyKey("load-2026-11-28").build();
 * }</pre>
 *
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
        String idempotencyKey) {

    public SubmitRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        params = params == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static Builder builder(String name, String type) {
        return new Builder(name, type);
    }

    /** This request with another idempotency key. */
    public SubmitRequest withIdempotencyKey(String key) {
        return new SubmitRequest(name, owner, type, params, priority, maxAttempts, runAt, key);
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

        /** Sent as {@code Idempotency-Key}: a retry with the same key never makes a second job. */
        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        public SubmitRequest build() {
            return new SubmitRequest(name, owner, type, params, priority, maxAttempts, runAt, idempotencyKey);
        }
    }
}

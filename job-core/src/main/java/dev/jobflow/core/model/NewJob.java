package dev.jobflow.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a submit asks for. {@code runAt} null means now; {@code idempotencyKey} null means none.
 * Two submits under the same idempotency key must ask for the same thing (the store compares
 * {@code JobParams.requestSha256}).
 * Validation of user input happens at the edge (job-api); this only guards the invariants the
 * store relies on.
 */
public record NewJob(
        String name,
        String owner,
        String type,
        Map<String, Object> params,
        int priority,
        int maxAttempts,
        Instant runAt,
        IdempotencyKey idempotencyKey) {

    public NewJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(type, "type");
        params = params == null ? Map.of() : params;
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public static NewJob of(String name, String owner, String type, Map<String, Object> params) {
        return new NewJob(name, owner, type, params, 0, 3, null, null);
    }
}

package dev.jobflow.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a submit asks for. {@code runAt} null means now; {@code idempotencyKey} and {@code unique}
 * null mean none. {@code priority}, {@code maxAttempts} and {@code timeoutSeconds} null take the
 * queue's defaults; {@code queue} null means {@code default}. Two submits under the same
 * idempotency key must ask for the same thing (the store compares {@code Idempotency.requestSha256}).
 * Validation of user input happens at the edge (job-api); this only guards the invariants the
 * store relies on. {@code traceParent} is the W3C {@code traceparent} of the submit's span (null when
 * tracing is off): the job row keeps it so the dispatcher's spans join the submit's trace.
 */
public record NewJob(
        String name,
        String owner,
        String type,
        Map<String, Object> params,
        Integer priority,
        Integer maxAttempts,
        Instant runAt,
        IdempotencyKey idempotencyKey,
        String queue,
        Integer timeoutSeconds,
        UniqueKey unique,
        String traceParent) {

    /** What a user name may look like: the owner of a job, the subject of a hub token, a person's room. */
    public static final String OWNER_PATTERN = "[A-Za-z0-9_.@-]{1,100}";

    /** The queue every job belongs to unless it names another. */
    public static final String DEFAULT_QUEUE = "default";

    public NewJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(type, "type");
        params = params == null ? Map.of() : params;
        queue = queue == null ? DEFAULT_QUEUE : queue;
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (timeoutSeconds != null && timeoutSeconds < 1) {
            throw new IllegalArgumentException("timeoutSeconds must be at least 1");
        }
    }

    /** A job without a trace context. */
    public NewJob(String name, String owner, String type, Map<String, Object> params, Integer priority,
            Integer maxAttempts, Instant runAt, IdempotencyKey idempotencyKey, String queue, Integer timeoutSeconds,
            UniqueKey unique) {
        this(name, owner, type, params, priority, maxAttempts, runAt, idempotencyKey, queue, timeoutSeconds, unique,
                null);
    }

    /** A job on the default queue with the given priority and attempts. */
    public NewJob(String name, String owner, String type, Map<String, Object> params, int priority, int maxAttempts,
            Instant runAt, IdempotencyKey idempotencyKey) {
        this(name, owner, type, params, priority, maxAttempts, runAt, idempotencyKey, null, null, null);
    }

    /** A job on the default queue, its priority, attempts and timeout the queue's defaults. */
    public static NewJob of(String name, String owner, String type, Map<String, Object> params) {
        return new NewJob(name, owner, type, params, null, null, null, null, null, null, null);
    }

    public NewJob withMaxAttempts(Integer attempts) {
        return new NewJob(name, owner, type, params, priority, attempts, runAt, idempotencyKey, queue, timeoutSeconds,
                unique, traceParent);
    }

    public NewJob onQueue(String queueName) {
        return new NewJob(name, owner, type, params, priority, maxAttempts, runAt, idempotencyKey, queueName,
                timeoutSeconds, unique, traceParent);
    }

    public NewJob withTimeout(Integer seconds) {
        return new NewJob(name, owner, type, params, priority, maxAttempts, runAt, idempotencyKey, queue, seconds,
                unique, traceParent);
    }

    public NewJob withUnique(UniqueKey key) {
        return new NewJob(name, owner, type, params, priority, maxAttempts, runAt, idempotencyKey, queue,
                timeoutSeconds, key, traceParent);
    }

    /** This job carrying the submit's trace context ({@code null}: none). */
    public NewJob withTraceParent(String parent) {
        return new NewJob(name, owner, type, params, priority, maxAttempts, runAt, idempotencyKey, queue,
                timeoutSeconds, unique, parent);
    }
}

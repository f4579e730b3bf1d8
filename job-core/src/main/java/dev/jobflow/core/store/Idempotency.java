package dev.jobflow.core.store;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.jobflow.core.auth.ApiKeyHeaders;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.SubmitResult;

/**
 * The rule of idempotency keys, the same for every backend: a key belongs to its caller, and a
 * caller that sends its key again must send the same request, which the store recognises by its
 * fingerprint.
 */
public final class Idempotency {
    /** Map entries in key order: equal requests give equal text, whatever order their JSON had. */
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Idempotency() {
    }

    /**
     * The SHA-256 (hex) of what a submit asks for: name, owner, type, params, priority, attempts
     * and run time.
     */
    public static String requestSha256(NewJob job) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", job.name());
        request.put("owner", job.owner());
        request.put("type", job.type());
        request.put("params", job.params());
        // Unset priority and attempts count as the values a request without them had before named
        // queues (0 and 3), and the fields added since only when set: keys of earlier requests still match.
        request.put("priority", job.priority() == null ? 0 : job.priority());
        request.put("maxAttempts", job.maxAttempts() == null ? 3 : job.maxAttempts());
        request.put("runAt", job.runAt() == null ? null : job.runAt().toString());
        if (!NewJob.DEFAULT_QUEUE.equals(job.queue())) {
            request.put("queue", job.queue());
        }
        if (job.timeoutSeconds() != null) {
            request.put("timeoutSeconds", job.timeoutSeconds());
        }
        if (job.unique() != null) {
            request.put("unique", job.unique().key() + "/" + job.unique().period());
        }
        try {
            return ApiKeyHeaders.sha256(CANONICAL.writeValueAsString(request));
        } catch (Exception e) {
            throw new IllegalArgumentException("params cannot be written as JSON", e);
        }
    }

    /**
     * The job the caller's key already names, if it was made from the same request
     * ({@code storedSha256} null: made without a fingerprint, from SQL, and taken as the same).
     *
     * @throws IdempotencyKeyReusedException if the key was used for another request
     */
    public static SubmitResult existing(Job job, String storedSha256, String requestSha256) {
        if (storedSha256 != null && !storedSha256.strip().equals(requestSha256)) {
            throw new IdempotencyKeyReusedException(job.id());
        }
        return new SubmitResult(job, false);
    }
}

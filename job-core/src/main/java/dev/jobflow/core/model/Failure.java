package dev.jobflow.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How an attempt failed: the error, and when to try again if attempts remain ({@link #retryAt}),
 * or never ({@link #withoutRetry}: input that can never succeed, an unknown type).
 */
public record Failure(String error, Optional<Instant> retry) {
    public Failure {
        Objects.requireNonNull(retry, "retry");
    }

    /** Back to the queue at {@code at} while attempts remain, FAILED otherwise. */
    public static Failure retryAt(String error, Instant at) {
        return new Failure(error, Optional.of(at));
    }

    /** FAILED at once, whatever attempts remain. */
    public static Failure withoutRetry(String error) {
        return new Failure(error, Optional.empty());
    }
}

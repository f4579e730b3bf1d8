package dev.jobflow.core.model;

/** The job a submit produced; {@code created} is false when the caller's idempotency key matched. */
public record SubmitResult(Job job, boolean created) {
}

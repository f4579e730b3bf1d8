package dev.jobflow.core.store;

/**
 * A batch's Idempotency-Key names earlier jobs for some of its jobs and none for others: it is not
 * a retry of one batch. Nothing was written.
 */
public class IdempotencyKeysMixedException extends JobflowException {
    public IdempotencyKeysMixedException() {
        super("part of this batch was submitted before under the same Idempotency-Key; use a new key for a new batch");
    }
}

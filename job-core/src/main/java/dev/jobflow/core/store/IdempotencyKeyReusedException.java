package dev.jobflow.core.store;

/**
 * The caller sent an idempotency key it already used, with a different request: the key names
 * job {@link #jobId()}, which is not what was asked for this time. Nothing was written.
 */
public class IdempotencyKeyReusedException extends JobflowException {
    private final long jobId;

    public IdempotencyKeyReusedException(long jobId) {
        super("this Idempotency-Key was already used with a different request (for job " + jobId
                + "); use a new key for a new request");
        this.jobId = jobId;
    }

    public long jobId() {
        return jobId;
    }
}

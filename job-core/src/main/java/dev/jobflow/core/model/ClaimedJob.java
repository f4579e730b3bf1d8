package dev.jobflow.core.model;

/**
 * A job a dispatcher has just claimed, with the lease it must present for every update, and the W3C
 * {@code traceparent} its submit left in the job row ({@code null}: submitted without tracing).
 */
public record ClaimedJob(Job job, Lease lease, String traceParent) {

    /** A claimed job without a trace context. */
    public ClaimedJob(Job job, Lease lease) {
        this(job, lease, null);
    }
}

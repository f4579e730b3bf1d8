package dev.jobflow.core.model;

/**
 * A dispatcher's hold on a running job. The token is the fencing token of the claim: strictly
 * increasing across claims, so a stale owner's updates (older token) are rejected.
 */
public record Lease(long jobId, String owner, long token) {
}

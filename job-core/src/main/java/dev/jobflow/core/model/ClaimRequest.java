package dev.jobflow.core.model;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a claim asks for: up to {@code max} ready jobs of {@code queue} for the replica
 * {@code owner}, each with a lease of {@code leaseFor}. With a {@code globalCap}, the database never
 * lets more than that many jobs be RUNNING at once across all claimers that pass a cap; the queue's
 * own cap always holds, and a paused queue gives nothing. A job with a timeout gets a hard deadline
 * of its timeout plus {@code timeoutGrace}: its lease is never renewed past it.
 */
public record ClaimRequest(String owner, int max, Duration leaseFor, OptionalInt globalCap, String queue,
        Duration timeoutGrace) {
    public ClaimRequest {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(leaseFor, "leaseFor");
        Objects.requireNonNull(globalCap, "globalCap");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(timeoutGrace, "timeoutGrace");
    }

    /** A claim from the default queue, no timeout grace. */
    public ClaimRequest(String owner, int max, Duration leaseFor, OptionalInt globalCap) {
        this(owner, max, leaseFor, globalCap, NewJob.DEFAULT_QUEUE, Duration.ZERO);
    }

    /** A claim from the default queue without a global cap. */
    public static ClaimRequest of(String owner, int max, Duration leaseFor) {
        return new ClaimRequest(owner, max, leaseFor, OptionalInt.empty(), NewJob.DEFAULT_QUEUE, Duration.ZERO);
    }

    public ClaimRequest fromQueue(String queueName) {
        return new ClaimRequest(owner, max, leaseFor, globalCap, queueName, timeoutGrace);
    }
}

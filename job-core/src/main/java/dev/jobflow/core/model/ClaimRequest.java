package dev.jobflow.core.model;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a claim asks for: up to {@code max} ready jobs for the replica {@code owner}, each with a
 * lease of {@code leaseFor}. With a {@code globalCap}, the database never lets more than that many
 * jobs be RUNNING at once across all claimers that pass a cap.
 */
public record ClaimRequest(String owner, int max, Duration leaseFor, OptionalInt globalCap) {
    public ClaimRequest {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(leaseFor, "leaseFor");
        Objects.requireNonNull(globalCap, "globalCap");
    }

    /** A claim without a global cap. */
    public static ClaimRequest of(String owner, int max, Duration leaseFor) {
        return new ClaimRequest(owner, max, leaseFor, OptionalInt.empty());
    }
}

package dev.jobflow.core.model;

import java.time.Instant;

/**
 * A registered dispatcher replica as operators see it: its slots, whether it is draining, when it
 * was last seen ({@code alive}: within the replica TTL, so it counts toward capacity) and its most
 * recent dispatch cycle ({@code null} before its first cycle ends).
 */
public record ReplicaStatus(String replicaId, int slots, boolean draining, Instant startedAt, Instant lastSeenAt,
        boolean alive, CycleRecord lastCycle) {
}

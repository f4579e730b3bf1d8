package dev.jobflow.core.model;

/**
 * What a retention pass removed; {@code ran} false when another replica's pass held the retention
 * lock (this one removed nothing). {@code exceptionMessages}: messages of the queue's dead-letter
 * store (Oracle's AQ exception queue; always 0 on PostgreSQL). {@code full} tells that a kind hit
 * its batch: more may be left.
 */
public record PruneResult(boolean ran, int jobs, int cycles, int uniqueKeys, int replicas, int audit,
        int exceptionMessages, boolean full) {

    public static final PruneResult SKIPPED = new PruneResult(false, 0, 0, 0, 0, 0, 0, false);

    /** Whether the pass removed anything. */
    public boolean removedAny() {
        return jobs + cycles + uniqueKeys + replicas + audit + exceptionMessages > 0;
    }
}

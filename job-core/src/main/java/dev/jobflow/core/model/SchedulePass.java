package dev.jobflow.core.model;

import java.time.Instant;

/**
 * What one pass over the due schedules did: how many jobs it made, and when the earliest enabled
 * schedule falls due next (null: none), so the scheduler can wait until then.
 */
public record SchedulePass(int jobs, Instant nextDue) {
}

package dev.jobflow.core.model;

import java.time.Instant;

/** One log line of a job: its attempt, level (DEBUG, INFO, WARN, ERROR), text and time. */
public record LogLine(long id, long jobId, int attempt, String level, String message, Instant at) {
}

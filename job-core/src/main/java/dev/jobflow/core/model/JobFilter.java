package dev.jobflow.core.model;

import java.time.Instant;

/**
 * Which jobs a bulk action touches; null fields match all. {@code error} matches jobs whose error
 * contains that text (case-sensitive).
 */
public record JobFilter(String queue, JobStatus status, String type, String owner, Instant createdBefore,
        Instant createdAfter, String error) {
}

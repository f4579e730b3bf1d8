package dev.jobflow.core.model;

import java.time.Instant;
import java.util.List;

/**
 * Which jobs a bulk action touches; null fields match all. {@code error} matches jobs whose error
 * contains that text (case-sensitive); {@code ids} names the jobs (a selection on the page), the
 * other fields still narrowing them.
 */
public record JobFilter(String queue, JobStatus status, String type, String owner, Instant createdBefore,
        Instant createdAfter, String error, List<Long> ids) {

    public JobFilter {
        ids = ids == null ? null : List.copyOf(ids);
    }

    /** A filter that names no ids. */
    public JobFilter(String queue, JobStatus status, String type, String owner, Instant createdBefore,
            Instant createdAfter, String error) {
        this(queue, status, type, owner, createdBefore, createdAfter, error, null);
    }
}

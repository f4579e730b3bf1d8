package dev.jobflow.core.model;

/**
 * A page of the job list, newest first. Paging is by keyset: {@code beforeId} is the cursor
 * returned with the previous page (null for the first page). Null filters match everything.
 */
public record JobQuery(JobStatus status, String owner, Long beforeId, int limit) {
}

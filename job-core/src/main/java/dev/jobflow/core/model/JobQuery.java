package dev.jobflow.core.model;

/**
 * A page of the job list, newest first. Paging is by keyset: {@code beforeId} is the cursor
 * returned with the previous page (null for the first page). Null filters match everything.
 * {@code search} keeps the jobs whose name, type, params (as JSON text) or error contains that text,
 * ignoring case (an indexed search: pg_trgm on PostgreSQL, Oracle Text on Oracle).
 */
public record JobQuery(JobStatus status, String owner, String search, Long beforeId, int limit) {

    /** A page without a search. */
    public JobQuery(JobStatus status, String owner, Long beforeId, int limit) {
        this(status, owner, null, beforeId, limit);
    }
}

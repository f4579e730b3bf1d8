package dev.jobflow.core.model;

import java.util.Set;

/**
 * A page of the job list, newest first. Paging is by keyset: {@code beforeId} is the cursor
 * returned with the previous page (null for the first page). Null filters match everything.
 * {@code search} keeps the jobs whose name, type, params (as JSON text) or error contains that text,
 * ignoring case (an indexed search: pg_trgm on PostgreSQL, Oracle Text on Oracle). {@code visibleTo}
 * narrows the page to what a caller may see (null: every job).
 */
public record JobQuery(JobStatus status, String owner, String search, Long beforeId, int limit, Visibility visibleTo) {

    /**
     * The jobs a caller may see: those {@code owner} owns, and those of {@code queues} (an operator
     * limited to given queues; empty for a viewer).
     */
    public record Visibility(String owner, Set<String> queues) {
        public Visibility {
            queues = Set.copyOf(queues);
        }

        /** The queues as one bind: comma-separated (queue names never contain a comma), null when none. */
        public String queuesBind() {
            return queues.isEmpty() ? null : String.join(",", queues);
        }
    }

    /** A page any caller may see. */
    public JobQuery(JobStatus status, String owner, String search, Long beforeId, int limit) {
        this(status, owner, search, beforeId, limit, null);
    }

    /** A page without a search. */
    public JobQuery(JobStatus status, String owner, Long beforeId, int limit) {
        this(status, owner, null, beforeId, limit);
    }
}

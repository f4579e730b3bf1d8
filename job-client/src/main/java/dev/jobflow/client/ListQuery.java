package dev.jobflow.client;

import java.util.Objects;

/**
 * The filter and page of {@link JobflowClient#list(ListQuery)}: {@code GET /api/v1/jobs?status=&owner=&before=&limit=}.
 * Every part is optional; the server's default limit is 50 (at most 500). Immutable: each method returns a copy.
 *
 * <pre>{@code
 * JobPage page = client.list(ListQuery.all().owner("alice").limit(20));
 * while (page.hasNext()) {
 *     page = client.list(query.after(page));
 * }
 * }</pre>
 *
 * @param before only jobs with an id below this (keyset paging: the previous page's {@link JobPage#nextBeforeId()})
 */
public record ListQuery(JobStatus status, String owner, Long before, Integer limit) {

    /** Every job, newest first, the server's default page size. */
    public static ListQuery all() {
        return new ListQuery(null, null, null, null);
    }

    public ListQuery status(JobStatus status) {
        if (status == JobStatus.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN is not a status to filter by");
        }
        return new ListQuery(status, owner, before, limit);
    }

    public ListQuery owner(String owner) {
        return new ListQuery(status, owner, before, limit);
    }

    public ListQuery before(Long before) {
        return new ListQuery(status, owner, before, limit);
    }

    public ListQuery limit(Integer limit) {
        return new ListQuery(status, owner, before, limit);
    }

    /** The query of the page after {@code page} (same filter and size). */
    public ListQuery after(JobPage page) {
        Objects.requireNonNull(page, "page");
        if (!page.hasNext()) {
            throw new IllegalStateException("the page is the last one (nextBeforeId is null)");
        }
        return before(page.nextBeforeId());
    }
}

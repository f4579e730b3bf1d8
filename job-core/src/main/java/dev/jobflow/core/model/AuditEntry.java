package dev.jobflow.core.model;

import java.time.Instant;

/**
 * One write action: who ({@code actor}, identified {@code via} key, proxy or anonymous), what
 * ({@code action}, e.g. {@code POST /api/v1/jobs/{id}/retry}), on what ({@code target}, e.g.
 * {@code job 42} or {@code queue reports}), with what outcome ({@code detail}), when. {@code id} and
 * {@code at} are the store's (0 and null when recording).
 */
public record AuditEntry(long id, Instant at, String actor, String via, String action, String target, String detail) {

    public static AuditEntry of(String actor, String via, String action, String target, String detail) {
        return new AuditEntry(0, null, actor, via, action, target, detail);
    }

    /**
     * The target that names a job ({@code jobs/<id>}, as its {@code Location} does; PostgreSQL's submit statements write the
     * same).
     */
    public static String jobTarget(long jobId) {
        return "jobs/" + jobId;
    }
}

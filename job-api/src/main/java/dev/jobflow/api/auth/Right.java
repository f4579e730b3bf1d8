package dev.jobflow.api.auth;

import java.util.Locale;

/**
 * The right an endpoint needs ({@link CallerRequired}), checked by {@link CallerFilter} before the
 * method runs and named in the OpenAPI document as {@code x-jobflow-right} of each operation.
 */
public enum Right {
    /** No identity needed: what is public by nature (the public keys hub tokens are verified with). */
    PUBLIC(null, "public: no identity needed"),
    /** Reading: a viewer reads its own jobs only (another's answers 404), operators and admins every job. */
    READ(Role.VIEWER, "read: a viewer sees its own jobs only, an operator or admin every job"),
    /** Submitting and cancelling one's own jobs, and hub tokens: every role (a key may name any owner). */
    SUBMIT(Role.VIEWER, "submit: any role, for the caller's own jobs (an API key may name any owner)"),
    /** Acting on any job or queue: retry, cancel, delete, bulk, pause and resume, run a schedule now. */
    OPERATE(Role.OPERATOR, "operate: operator or admin"),
    /** Managing queues and schedules, reading the audit log. */
    ADMIN(Role.ADMIN, "administer: admin only");

    private final Role least;
    private final String description;

    Right(Role least, String description) {
        this.least = least;
        this.description = description;
    }

    /** The least role that has this right; null for {@link #PUBLIC}. */
    public Role least() {
        return least;
    }

    /** One line for the OpenAPI document. */
    public String description() {
        return description;
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}

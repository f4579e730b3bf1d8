package dev.jobflow.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Where a job is in its life: {@code QUEUED → RUNNING → COMPLETED | FAILED | CANCELLED}. A status a newer
 * server sends that this client does not know reads as {@link #UNKNOWN}.
 */
public enum JobStatus {
    QUEUED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED,
    /** A status this client version does not know (the server is newer). */
    @JsonEnumDefaultValue
    UNKNOWN;

    /** COMPLETED, FAILED and CANCELLED are end states: the job will not change any more. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}

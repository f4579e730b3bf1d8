package dev.jobflow.core.model;

/** Where a job is in its life. QUEUED and RUNNING are live; the other three are terminal. */
public enum JobStatus {
    QUEUED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}

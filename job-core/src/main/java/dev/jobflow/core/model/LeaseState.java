package dev.jobflow.core.model;

/** What a heartbeat or progress update learned about the lease it renewed. */
public enum LeaseState {
    /** Renewed; carry on. */
    HELD,
    /** Renewed, and somebody asked to cancel the job: stop and report it cancelled. */
    CANCEL_REQUESTED,
    /** No longer ours (expired and reclaimed, or finished elsewhere): stop without writing. */
    LOST
}

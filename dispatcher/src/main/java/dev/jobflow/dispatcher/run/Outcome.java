package dev.jobflow.dispatcher.run;

/** How one attempt ended, as the dispatcher records it. */
public enum Outcome {
    COMPLETED,
    /** Failed; retried later if attempts remain (the store decides). */
    FAILED,
    /** Failed with no retry (unknown type, not allowed). */
    REJECTED,
    CANCELLED,
    /** The lease was lost: somebody else owns the job now; nothing written. */
    LOST,
    /** Handed back on drain for immediate retry elsewhere. */
    RELEASED,
    /** Ran past its timeout; failed, retried later if attempts remain. */
    TIMED_OUT
}

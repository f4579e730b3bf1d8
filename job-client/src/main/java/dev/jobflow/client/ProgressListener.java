package dev.jobflow.client;

/**
 * Receives a {@link ProgressSubscription}'s messages. All methods are called on the subscription's own thread,
 * one at a time, in order; a slow listener slows only its subscription (the hub may then close it as a slow
 * consumer, and the subscription reconnects and resumes).
 */
@FunctionalInterface
public interface ProgressListener {
    /** The next message of the room: each offset once, in increasing order, across reconnects. */
    void onEvent(ProgressEvent event);

    /**
     * After a reconnect the hub could not prove the resume complete ({@code recovered: false}: its log was reset or
     * trimmed, or too much was missed while disconnected): messages after the last delivered one may be lost. The
     * room's latest message follows, then live ones. (Not called for the first subscribe, whose history is
     * best-effort: see {@link ProgressSubscription}.)
     */
    default void onGap(String room) {
    }

    /**
     * Something went wrong, for information: a token could not be fetched, the connection failed, closed or went
     * silent (the subscription reconnects and resumes by itself), or the hub or job-api refused the subscription for
     * good ({@link ProgressSubscription#state()} is then CLOSED).
     */
    default void onError(Throwable error) {
    }
}

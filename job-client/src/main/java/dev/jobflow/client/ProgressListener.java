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
     * The hub could not prove a resume complete ({@code recovered: false}: its log was reset or trimmed, or too
     * much was missed): some messages were skipped. The room's latest message follows, then live ones.
     */
    default void onGap(String room) {
    }

    /**
     * Something went wrong: a token could not be fetched, the connection failed (the subscription retries), or
     * the hub refused the subscription for good ({@link ProgressSubscription#state()} is then CLOSED).
     */
    default void onError(Throwable error) {
    }
}

package dev.jobflow.core.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.StreamInfo;
import dev.jobflow.core.model.TailBatch;

/**
 * The progress log port: the history of every room's messages, read by the hub replicas. Offsets
 * are assigned when a message is written, before its transaction commits; a reader must not skip
 * an offset that may still commit ({@link #readTail} and {@link #writersAlive} let it decide).
 */
public interface ProgressLog {

    /** Appends {@code payload} to every room in {@code rooms}; returns the offsets, in room order. */
    Uni<List<Long>> publish(List<String> rooms, JsonObject payload);

    /** Entries of all rooms with offset greater than {@code afterOffset}, in offset order. */
    Uni<List<LogEntry>> readAfter(long afterOffset, int limit);

    /** Like {@link #readAfter}, plus an opaque token of the snapshot the read saw. */
    Uni<TailBatch> readTail(long afterOffset, int limit);

    /** An opaque token of the current snapshot (what {@link #readTail} would have seen now). */
    Uni<String> snapshot();

    /**
     * Whether a writer that was in progress in {@code snapshot} may still commit a message: while
     * true, a hole below the highest offset that snapshot's read saw may still fill. Once false, every
     * such hole is final: a fresh read shows what committed; what is missing will never appear.
     */
    Uni<Boolean> writersAlive(String snapshot);

    /** Entries of one room with offset greater than {@code afterOffset}, in offset order. */
    Uni<List<LogEntry>> roomHistory(String room, long afterOffset, int limit);

    /** The latest entry of a room, if it has one still retained. */
    Uni<Optional<LogEntry>> latest(String room);

    /** The highest offset written so far (0 when the log is empty). */
    Uni<Long> headOffset();

    /** The stream epoch: offsets of one epoch mean nothing in another. */
    Uni<String> epoch();

    /** Epoch, retention floor and head in one read. */
    Uni<StreamInfo> streamInfo();

    /**
     * Retention: deletes entries older than {@code maxAge} and all but the newest {@code maxCount},
     * raising the retention floor before deleting. Returns how many were deleted.
     */
    Uni<Long> trim(Duration maxAge, long maxCount);

    /**
     * Calls {@code listener} (on no particular thread) soon after any writer commits messages, where the
     * backend can say so (PostgreSQL: a notification per writing transaction, V025), and once more each
     * time the subscription (re)connects, since commits may have gone unheard meanwhile. Empty where the
     * backend cannot (Oracle): readers poll. Closing the subscription stops the calls.
     */
    Uni<Optional<AutoCloseable>> subscribeCommits(Runnable listener);
}

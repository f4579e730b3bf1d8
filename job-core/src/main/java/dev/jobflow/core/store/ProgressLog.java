package dev.jobflow.core.store;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.model.LogEntry;

/**
 * The progress log port: the history of every room's messages, read by the hub replicas. Offsets
 * are assigned when a message is written, before its transaction commits; a reader must not skip
 * an offset that may still commit.
 */
public interface ProgressLog {

    /** Appends {@code payload} to every room in {@code rooms}; returns the offsets, in room order. */
    Uni<List<Long>> publish(List<String> rooms, JsonObject payload);

    /** Entries of all rooms with offset greater than {@code afterOffset}, in offset order. */
    Uni<List<LogEntry>> readAfter(long afterOffset, int limit);

    /** Entries of one room with offset greater than {@code afterOffset}, in offset order. */
    Uni<List<LogEntry>> roomHistory(String room, long afterOffset, int limit);

    /** The highest offset written so far (0 when the log is empty). */
    Uni<Long> headOffset();

    /** The stream epoch: offsets of one epoch mean nothing in another. */
    Uni<String> epoch();
}

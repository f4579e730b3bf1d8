package dev.jobflow.core.model;

import java.time.Instant;
import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * One message of the progress log, as delivered to a room. The offset increases per stream.
 * {@code jobOwner} is set on a job's event (one row since V023, in the room {@code job:<id>}): the
 * same entry belongs to the rooms {@code user:<jobOwner>} and {@code jobs} too (see
 * {@link #rooms()}). Entries read for one room (history, latest) carry that room and no owner.
 * {@code traceParent}: the W3C traceparent of the job's submit (V022/V023), null without tracing.
 */
public record LogEntry(long offset, String room, JsonObject payload, Instant createdAt, String jobOwner,
        String traceParent) {

    /** The room every job event also goes to. */
    public static final String ALL_JOBS_ROOM = "jobs";

    public LogEntry(long offset, String room, JsonObject payload, Instant createdAt) {
        this(offset, room, payload, createdAt, null, null);
    }

    /** The rooms this entry is delivered to, its own first. */
    public List<String> rooms() {
        return jobOwner == null ? List.of(room)
                : List.of(room, ownerRoom(jobOwner), ALL_JOBS_ROOM);
    }

    /** The room of the jobs of {@code owner}. */
    public static String ownerRoom(String owner) {
        return "user:" + owner;
    }
}

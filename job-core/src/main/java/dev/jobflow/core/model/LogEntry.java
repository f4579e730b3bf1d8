package dev.jobflow.core.model;

import java.time.Instant;

import io.vertx.core.json.JsonObject;

/** One message of the progress log, as delivered to a room. The offset increases per stream. */
public record LogEntry(long offset, String room, JsonObject payload, Instant createdAt) {
}

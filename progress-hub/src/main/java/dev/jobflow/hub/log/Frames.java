package dev.jobflow.hub.log;

import io.vertx.core.json.JsonObject;

import dev.jobflow.core.model.LogEntry;

/** The server's JSON frames (docs/progress-hub.md, "Protocol"). */
public final class Frames {

    private Frames() {
    }

    public static String message(LogEntry entry, String epoch) {
        return message(entry.room(), entry, epoch);
    }

    /** The frame of {@code entry} in {@code room} (one of {@link LogEntry#rooms()}). */
    public static String message(String room, LogEntry entry, String epoch) {
        return new JsonObject().put("type", "message").put("room", room).put("offset", entry.offset())
                .put("epoch", epoch).put("data", entry.payload()).encode();
    }

    public static String subscribed(String room, boolean recovered, long offset, String epoch) {
        return new JsonObject().put("type", "subscribed").put("room", room).put("recovered", recovered)
                .put("offset", offset).put("epoch", epoch).encode();
    }

    public static String unsubscribed(String room) {
        return new JsonObject().put("type", "unsubscribed").put("room", room).encode();
    }

    public static String authenticated(String subject, long expiresAtEpochSeconds) {
        return new JsonObject().put("type", "authenticated").put("subject", subject)
                .put("expiresAt", expiresAtEpochSeconds).encode();
    }

    public static String error(String code, String message, String room) {
        JsonObject error = new JsonObject().put("type", "error").put("code", code).put("message", message);
        if (room != null) {
            error.put("room", room);
        }
        return error.encode();
    }
}

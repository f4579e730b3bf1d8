package dev.jobflow.core.pg;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.store.JobParams;

/** Row mapping shared by the PostgreSQL adapters. */
final class PgRows {

    private PgRows() {
    }

    static Job job(Row row) {
        return new Job(
                row.getLong("id"),
                row.getString("name"),
                row.getString("owner"),
                row.getString("type"),
                params(row.getValue("params")),
                JobStatus.valueOf(row.getString("status")),
                row.getInteger("progress_pct"),
                row.getString("progress_message"),
                row.getInteger("priority"),
                row.getInteger("attempts"),
                row.getInteger("max_attempts"),
                instant(row, "run_at"),
                row.getString("lease_owner"),
                instant(row, "lease_expires_at"),
                row.getBoolean("cancel_requested"),
                row.getString("idempotency_key"),
                row.getString("error"),
                instant(row, "created_at"),
                instant(row, "started_at"),
                instant(row, "finished_at"),
                instant(row, "updated_at"));
    }

    /** The entry, or null when its payload is not a JSON object (a row from before V012). */
    static LogEntry logEntry(Row row) {
        if (!(row.getValue("payload") instanceof JsonObject payload)) {
            return null;
        }
        return new LogEntry(row.getLong("id"), row.getString("room"), payload, instant(row, "created_at"));
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime offsetDateTime(Instant instant) {
        return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
    }

    /** A jobs.params value: jsonb arrives as a JsonObject only when it is an object. */
    static Map<String, Object> params(Object value) {
        if (value == null || value instanceof JsonObject) {
            return toMap((JsonObject) value);
        }
        throw new JobParams.Undecodable("a JSON " + value.getClass().getSimpleName(), null);
    }

    static Map<String, Object> toMap(JsonObject json) {
        return json == null ? Map.of() : JobParams.parse(json.encode());
    }

    static JsonObject toJson(Map<String, Object> map) {
        return new JsonObject(JobParams.write(map));
    }
}

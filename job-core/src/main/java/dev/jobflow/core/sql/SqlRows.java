package dev.jobflow.core.sql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.store.JobParams;

/**
 * Row mapping of the reactive SQL client, the same for every backend: JSON columns arrive as JSON
 * (PostgreSQL's jsonb) or as text (Oracle's CLOB/VARCHAR2 with an IS JSON check), flags as
 * booleans (PostgreSQL) or NUMBER(1) 0/1 (Oracle); both read the same here.
 */
public final class SqlRows {

    private SqlRows() {
    }

    /** A row of {@code jobs}. */
    public static Job job(Row row) {
        return new Job(
                row.getLong("id"),
                row.getString("name"),
                row.getString("owner"),
                row.getString("type"),
                JobParams.parse(jsonText(row, "params")),
                JobStatus.valueOf(row.getString("status")),
                row.getInteger("progress_pct"),
                row.getString("progress_message"),
                row.getInteger("priority"),
                row.getInteger("attempts"),
                row.getInteger("max_attempts"),
                instant(row, "run_at"),
                row.getString("lease_owner"),
                instant(row, "lease_expires_at"),
                flag(row, "cancel_requested"),
                row.getString("idempotency_key"),
                row.getString("error"),
                instant(row, "created_at"),
                instant(row, "started_at"),
                instant(row, "finished_at"),
                instant(row, "updated_at"));
    }

    /** A row of {@code progress_log}. */
    public static LogEntry logEntry(Row row) {
        Object payload = row.getValue("payload");
        return new LogEntry(row.getLong("id"), row.getString("room"),
                payload instanceof JsonObject json ? json : new JsonObject(row.getString("payload")),
                instant(row, "created_at"));
    }

    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    /** A timestamp to bind (UTC), or null. */
    public static OffsetDateTime offsetDateTime(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** A boolean column: PostgreSQL's boolean, or Oracle's NUMBER(1) 0/1. */
    public static boolean flag(Row row, String column) {
        Object value = row.getValue(column);
        return value instanceof Boolean b ? b : ((Number) value).intValue() == 1;
    }

    /** A JSON column's text, whether the driver gave JSON or text; null for SQL NULL. */
    private static String jsonText(Row row, String column) {
        return row.getValue(column) instanceof JsonObject json ? json.encode() : row.getString(column);
    }

    /** The params map as a JSON object, for PostgreSQL's jsonb binds. */
    public static JsonObject json(Map<String, Object> map) {
        return new JsonObject(JobParams.write(map));
    }
}

package dev.jobflow.core.pg;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.LogEntry;

/** Row mapping shared by the PostgreSQL adapters. */
final class PgRows {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private PgRows() {
    }

    static Job job(Row row) {
        return new Job(
                row.getLong("id"),
                row.getString("name"),
                row.getString("owner"),
                row.getString("type"),
                toMap(row.getJsonObject("params")),
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

    static LogEntry logEntry(Row row) {
        return new LogEntry(row.getLong("id"), row.getString("room"), row.getJsonObject("payload"),
                instant(row, "created_at"));
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime offsetDateTime(Instant instant) {
        return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
    }

    static Map<String, Object> toMap(JsonObject json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json.encode(), MAP);
        } catch (Exception e) {
            throw new IllegalStateException("params column holds invalid JSON", e);
        }
    }

    static JsonObject toJson(Map<String, Object> map) {
        try {
            return new JsonObject(MAPPER.writeValueAsString(map));
        } catch (Exception e) {
            throw new IllegalArgumentException("params cannot be written as JSON", e);
        }
    }
}

package dev.jobflow.oracle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.store.JobParams;

/**
 * Row mapping of the Oracle adapters, for rows of the reactive client and of JDBC (the claim).
 * JSON columns are text, booleans are NUMBER(1): see sql/oracle/V001__jobs.sql.
 */
final class OracleRows {

    private OracleRows() {
    }

    static Job job(Row row) {
        return new Job(
                row.getLong("id"),
                row.getString("name"),
                row.getString("owner"),
                row.getString("type"),
                toMap(row.getString("params")),
                JobStatus.valueOf(row.getString("status")),
                row.getInteger("progress_pct"),
                row.getString("progress_message"),
                row.getInteger("priority"),
                row.getInteger("attempts"),
                row.getInteger("max_attempts"),
                instant(row, "run_at"),
                row.getString("lease_owner"),
                instant(row, "lease_expires_at"),
                row.getInteger("cancel_requested") == 1,
                row.getString("idempotency_key"),
                row.getString("error"),
                instant(row, "created_at"),
                instant(row, "started_at"),
                instant(row, "finished_at"),
                instant(row, "updated_at"));
    }

    static Job job(ResultSet rs) throws SQLException {
        return new Job(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("owner"),
                rs.getString("type"),
                toMap(rs.getString("params")),
                JobStatus.valueOf(rs.getString("status")),
                rs.getInt("progress_pct"),
                rs.getString("progress_message"),
                rs.getInt("priority"),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                instant(rs, "run_at"),
                rs.getString("lease_owner"),
                instant(rs, "lease_expires_at"),
                rs.getInt("cancel_requested") == 1,
                rs.getString("idempotency_key"),
                rs.getString("error"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                instant(rs, "updated_at"));
    }

    /** The entry, or null when its payload is not a strict JSON object (lax JSON from before V012). */
    static LogEntry logEntry(Row row) {
        JsonObject payload;
        try {
            payload = new JsonObject(row.getString("payload"));
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
        return new LogEntry(row.getLong("id"), row.getString("room"), payload, instant(row, "created_at"));
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime offsetDateTime(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Map<String, Object> toMap(String json) {
        return JobParams.parse(json);
    }

    static String toJson(Map<String, Object> map) {
        return JobParams.write(map);
    }
}

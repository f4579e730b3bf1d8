package dev.jobflow.oracle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.store.JobParams;

/**
 * Job rows read over JDBC (the AQ claim runs on a JDBC session); rows of the reactive client are
 * mapped by {@code SqlRows}, the same as PostgreSQL's. JSON columns are text, booleans NUMBER(1).
 */
final class OracleRows {

    private OracleRows() {
    }

    static Job job(ResultSet rs) throws SQLException {
        return new Job(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("owner"),
                rs.getString("type"),
                JobParams.parse(rs.getString("params")),
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
                instant(rs, "updated_at"),
                rs.getString("queue"),
                (Integer) rs.getObject("timeout_seconds", Integer.class),
                rs.getString("unique_key"),
                rs.getString("schedule_name"),
                instant(rs, "scheduled_for"),
                rs.getString("result") == null ? null : JobParams.parseValue(rs.getString("result")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

package dev.jobflow.core.sql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.model.Schedule;
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
        Columns c = Columns.of(row);
        return new Job(
                row.getLong(c.at("id")),
                row.getString(c.at("name")),
                row.getString(c.at("owner")),
                row.getString(c.at("type")),
                params(row.getValue(c.at("params"))),
                JobStatus.valueOf(row.getString(c.at("status"))),
                row.getInteger(c.at("progress_pct")),
                row.getString(c.at("progress_message")),
                row.getInteger(c.at("priority")),
                row.getInteger(c.at("attempts")),
                row.getInteger(c.at("max_attempts")),
                instant(row.getOffsetDateTime(c.at("run_at"))),
                row.getString(c.at("lease_owner")),
                instant(row.getOffsetDateTime(c.at("lease_expires_at"))),
                flag(row.getValue(c.at("cancel_requested"))),
                row.getString(c.at("idempotency_key")),
                row.getString(c.at("error")),
                instant(row.getOffsetDateTime(c.at("created_at"))),
                instant(row.getOffsetDateTime(c.at("started_at"))),
                instant(row.getOffsetDateTime(c.at("finished_at"))),
                instant(row.getOffsetDateTime(c.at("updated_at"))),
                row.getString(c.at("queue")),
                row.getInteger(c.at("timeout_seconds")),
                row.getString(c.at("unique_key")),
                row.getString(c.at("schedule_name")),
                instant(row.getOffsetDateTime(c.at("scheduled_for"))),
                jsonValue(row.getString(c.at("result"))));
    }

    /**
     * The position of each column of a result's rows (jobs, progress-log entries), found once per result
     * shape: a read by name
     * walks the row's column list (a job row has 34 columns; by name, mapping one took 27 walks, the
     * largest single cost of a submit in job-api's profile, docs/benchmarks.md). Shapes are the
     * statements' result lists, a fixed set.
     */
    private record Columns(Map<String, Integer> positions) {
        private static final Map<List<String>, Columns> SHAPES = new ConcurrentHashMap<>();

        static Columns of(Row row) {
            String[] names = new String[row.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = row.getColumnName(i);
            }
            return SHAPES.computeIfAbsent(List.of(names), shape -> {
                Map<String, Integer> positions = new HashMap<>();
                for (int i = 0; i < shape.size(); i++) {
                    positions.putIfAbsent(shape.get(i).toLowerCase(Locale.ROOT), i);
                }
                return new Columns(Map.copyOf(positions));
            });
        }

        /** A column only some statements select (the tail's reads of the progress log); null where absent. */
        String string(Row row, String column) {
            Integer position = positions.get(column);
            return position == null ? null : row.getString(position);
        }

        int at(String column) {
            Integer position = positions.get(column);
            if (position == null) {
                throw new NoSuchElementException("no column " + column);
            }
            return position;
        }
    }

    /** A column holding a JSON value as its text (both backends), as plain Java values; null: none. */
    public static Object jsonValue(Row row, String column) {
        return jsonValue(row.getString(column));
    }

    private static Object jsonValue(String text) {
        return text == null ? null : JobParams.parseValue(text);
    }

    /** A row of {@code job_queues}. */
    public static QueueSettings queueSettings(Row row) {
        return new QueueSettings(
                row.getString("name"),
                row.getInteger("cap"),
                row.getInteger("priority"),
                row.getInteger("max_attempts"),
                row.getInteger("backoff_seconds"),
                row.getInteger("timeout_seconds"),
                flag(row, "paused"));
    }

    /** A row of {@code job_schedules}, with {@code last_job_status} of its last job (null: none). */
    public static Schedule schedule(Row row) {
        String lastStatus = row.getString("last_job_status");
        return new Schedule(
                row.getString("name"),
                row.getString("queue"),
                row.getString("type"),
                params(row),
                row.getString("owner"),
                row.getString("cron"),
                row.getString("calendar"),
                row.getString("time_zone"),
                Schedule.Overlap.of(row.getString("overlap")),
                Schedule.Misfire.of(row.getString("misfire")),
                flag(row, "enabled"),
                instant(row, "next_fire_at"),
                instant(row, "last_fire_at"),
                row.getLong("last_job_id"),
                lastStatus == null ? null : JobStatus.valueOf(lastStatus),
                row.getString("last_error"),
                instant(row, "created_at"),
                instant(row, "updated_at"),
                instant(row, "anchor_at"));
    }

    /**
     * A row of {@code progress_log}, or null when its payload is not a JSON object (a row from before
     * the strict checks of V012): readers skip it rather than fail every read after it.
     */
    public static LogEntry logEntry(Row row) {
        Columns c = Columns.of(row);
        Object value = row.getValue(c.at("payload"));
        JsonObject payload;
        if (value instanceof JsonObject json) {
            payload = json;
        } else if (value instanceof String || value instanceof io.vertx.core.buffer.Buffer) {
            try {
                payload = new JsonObject(row.getString(c.at("payload")));
            } catch (DecodeException | ClassCastException e) {
                return null;
            }
        } else {
            return null; // PostgreSQL: a jsonb scalar or array
        }
        return new LogEntry(row.getLong(c.at("id")), row.getString(c.at("room")), payload,
                instant(row.getOffsetDateTime(c.at("created_at"))), c.string(row, "job_owner"),
                c.string(row, "trace_parent"));
    }

    public static Instant instant(Row row, String column) {
        return instant(row.getOffsetDateTime(column));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    /** A timestamp to bind (UTC), or null. */
    public static OffsetDateTime offsetDateTime(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** A boolean column: PostgreSQL's boolean, or Oracle's NUMBER(1) 0/1. */
    public static boolean flag(Row row, String column) {
        return flag(row.getValue(column));
    }

    private static boolean flag(Object value) {
        return value instanceof Boolean b ? b : ((Number) value).intValue() == 1;
    }

    /**
     * A job's params: PostgreSQL's jsonb arrives as a JsonObject only when it is an object, Oracle's
     * as text to parse.
     *
     * @throws JobParams.Undecodable when they are not a JSON object (a row from before V012)
     */
    private static Map<String, Object> params(Row row) {
        return params(row.getValue("params"));
    }

    private static Map<String, Object> params(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof JsonObject json) {
            return JobParams.parse(json.encode());
        }
        if (value instanceof String text) {
            return JobParams.parse(text);
        }
        throw new JobParams.Undecodable("a JSON " + value.getClass().getSimpleName(), null);
    }

    /** The params map as a JSON object, for PostgreSQL's jsonb binds. */
    public static JsonObject json(Map<String, Object> map) {
        return new JsonObject(JobParams.write(map));
    }
}

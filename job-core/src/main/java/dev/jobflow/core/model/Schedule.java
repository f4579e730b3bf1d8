package dev.jobflow.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A schedule: every time its cron or calendar expression falls due in its time zone, one job of
 * {@code type} with {@code params} goes to {@code queue}. The state part (next and last fire,
 * the last job and its status, the last error, the anchor a calendar's INTERVAL counts from: the
 * time of the last write) is the store's; a write ignores it.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Schedule(
        String name,
        String queue,
        String type,
        Map<String, Object> params,
        String owner,
        String cron,
        String calendar,
        String timeZone,
        Overlap overlap,
        Misfire misfire,
        boolean enabled,
        Instant nextFireAt,
        Instant lastFireAt,
        Long lastJobId,
        JobStatus lastJobStatus,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        Instant anchorAt) {

    public Schedule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        queue = queue == null ? NewJob.DEFAULT_QUEUE : queue;
        params = params == null ? Map.of() : params;
        timeZone = timeZone == null ? "UTC" : timeZone;
        overlap = overlap == null ? Overlap.SKIP : overlap;
        misfire = misfire == null ? Misfire.RUN_ONCE : misfire;
    }

    /** What a write asks for: the definition, without state. */
    public static Schedule define(String name, String queue, String type, Map<String, Object> params, String owner,
            String cron, String calendar, String timeZone, Overlap overlap, Misfire misfire, boolean enabled) {
        return new Schedule(name, queue, type, params, owner, cron, calendar, timeZone, overlap, misfire, enabled, null,
                null, null, null, null, null, null, null);
    }

    /** While the previous run of a schedule is still queued or running: skip this fire, or run anyway. */
    public enum Overlap {
        SKIP("skip"),
        ALLOW("allow");

        private final String text;

        Overlap(String text) {
            this.text = text;
        }

        @JsonValue
        public String text() {
            return text;
        }

        public static Overlap of(String text) {
            for (Overlap value : values()) {
                if (value.text.equals(text)) {
                    return value;
                }
            }
            throw new IllegalArgumentException("overlap must be 'skip' or 'allow', was '" + text + "'");
        }
    }

    /** Fire times missed while no dispatcher ran: run once for them, or skip to the next time. */
    public enum Misfire {
        RUN_ONCE("run-once"),
        SKIP("skip");

        private final String text;

        Misfire(String text) {
            this.text = text;
        }

        @JsonValue
        public String text() {
            return text;
        }

        public static Misfire of(String text) {
            for (Misfire value : values()) {
                if (value.text.equals(text)) {
                    return value;
                }
            }
            throw new IllegalArgumentException("misfire must be 'run-once' or 'skip', was '" + text + "'");
        }
    }
}

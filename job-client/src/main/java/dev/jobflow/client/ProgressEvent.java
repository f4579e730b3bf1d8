package dev.jobflow.client;

import java.util.Map;

/**
 * One message of a job's room ({@code job:{id}}) as the hub delivered it. Job status and progress changes carry
 * {@code {"job_id", "pct", "status", "message"?}} ({@link #isProgress()}); the job's log lines
 * {@code {"job_id", "log": {"id", "level", "message", "at"}}} ({@link #log()}); a producer may send other shapes
 * to the room, so every accessor below tolerates a missing or differently typed member.
 *
 * @param offset increases within the hub's stream; a subscription delivers each offset once, in increasing order
 * @param epoch the stream's epoch (changes only when the hub's log is reset)
 * @param data the message as sent
 */
public record ProgressEvent(String room, long offset, String epoch, Map<String, Object> data) {
    public ProgressEvent {
        data = data == null ? Map.of() : data;
    }

    /** {@code job_id}, or -1. */
    public long jobId() {
        return data.get("job_id") instanceof Number n ? n.longValue() : -1;
    }

    /** {@code pct} (0 to 100), or -1. */
    public int pct() {
        return data.get("pct") instanceof Number n ? n.intValue() : -1;
    }

    /** {@code status}, or null when the message has none ({@link JobStatus#UNKNOWN} for one this client does not know). */
    public JobStatus status() {
        if (!(data.get("status") instanceof String s)) {
            return null;
        }
        try {
            return JobStatus.valueOf(s);
        } catch (IllegalArgumentException e) {
            return JobStatus.UNKNOWN;
        }
    }

    /** {@code message}, or null. */
    public String message() {
        return data.get("message") instanceof String s ? s : null;
    }

    /** Whether this message is a status or progress change (it has a status). */
    public boolean isProgress() {
        return status() != null;
    }

    /** The log line this message carries ({@code id}, {@code level}, {@code message}, {@code at}), or null. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> log() {
        return data.get("log") instanceof Map<?, ?> line ? (Map<String, Object>) line : null;
    }

    /** Whether this message reports an end state (COMPLETED, FAILED, CANCELLED). */
    public boolean isTerminal() {
        JobStatus status = status();
        return status != null && status.isTerminal();
    }
}

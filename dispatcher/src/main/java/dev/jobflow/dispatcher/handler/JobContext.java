package dev.jobflow.dispatcher.handler;

import java.time.Duration;
import java.util.Map;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.Lease;

/** What a running handler sees of its job and how it reports back. */
public interface JobContext {

    /** The job as claimed (status RUNNING, this attempt counted). */
    Job job();

    /** This attempt's lease; its token fences every update (pass it on to code that writes the job). */
    Lease lease();

    default Map<String, Object> params() {
        return job().params();
    }

    /**
     * Records progress (0–100, optional message): it reaches the rooms {@code job:{id}},
     * {@code user:{owner}} and {@code jobs} and renews the lease. Written at most every
     * {@code jobflow.dispatcher.progress-interval} (100 ms): a report sooner than that returns at once
     * and is superseded by the next; the latest is written once the interval has passed. Cheap enough
     * to call per item of a loop.
     *
     * @throws dev.jobflow.core.store.LeaseLostException if this replica no longer holds the job
     */
    void progress(int pct, String message);

    /**
     * Writes a log line of this job (DEBUG, INFO, WARN or ERROR): kept with the job, visible at once
     * at {@code GET /api/v1/jobs/{id}/logs} and sent live to the room {@code job:{id}}. A job keeps
     * its first 1,000 lines (then one marker); a line is cut to 2,000 bytes. A line that cannot be
     * written is dropped with a WARN in the dispatcher's log: logging never fails the job.
     */
    void log(String level, String message);

    /** An INFO log line. */
    default void log(String message) {
        log("INFO", message);
    }

    /**
     * Opens a span of the handler's own work, a child of this run's span in the job's trace (which began at
     * its submit): {@code try (JobSpan load = context.span("load rows")) { ... }}. With tracing off it is
     * {@link JobSpan#NONE}.
     */
    default JobSpan span(String name) {
        return JobSpan.NONE;
    }

    /** Renews the lease now (the dispatcher also does it every heartbeat interval). */
    void heartbeat();

    /** True once somebody asked to cancel the job; the handler should return promptly. */
    boolean isCancelled();

    /**
     * Waits {@code duration} unless the job is cancelled first.
     *
     * @return true if the full time passed, false if cancelled
     */
    boolean sleep(Duration duration) throws InterruptedException;

    /**
     * A number parameter (int or fractional), or {@code fallback} when absent.
     *
     * @throws JobInputException if it is not a number (the job fails at once, no retry)
     */
    default double numberParam(String name, double fallback) {
        Object value = params().get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new JobInputException("parameter '" + name + "' must be a number, was " + value);
    }
}

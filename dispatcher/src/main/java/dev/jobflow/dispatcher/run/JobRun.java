package dev.jobflow.dispatcher.run;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Failure;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.model.LeaseState;
import dev.jobflow.core.params.JobTypeSpec;
import dev.jobflow.core.store.ColumnLimits;
import dev.jobflow.core.store.JobParams;
import dev.jobflow.core.store.JobQueue;
import dev.jobflow.core.store.LeaseLostException;
import dev.jobflow.dispatcher.handler.HandlerRegistry.Resolution;
import dev.jobflow.dispatcher.handler.JobContext;
import dev.jobflow.dispatcher.handler.JobInputException;
import dev.jobflow.dispatcher.handler.JobSpan;

/**
 * One attempt of one claimed job: runs its handler on the calling (virtual) thread, renews the
 * lease every heartbeat interval, and writes the outcome fenced by the lease token. Exactly one of
 * {@link #run()}'s ending and {@link #handBack()} writes the final state.
 *
 * <p>
 * The end of an attempt is retried until the database answers, with the lease still renewed
 * meanwhile and the slot still held: a database blip must not turn a finished job into one the
 * reaper re-runs, nor free the slot while the job still counts as RUNNING. Only when the lease
 * has not been renewed for a whole lease length (the database may have given the job to another
 * replica) does the replica give the job up.
 *
 * <p>
 * A job with a timeout is interrupted when it passes (the cancellation signal and a thread
 * interrupt; a stored procedure's call is cancelled). If the handler has not ended after the
 * timeout grace, the attempt ends as timed out anyway: the end is recorded, the heartbeat stops and
 * the slot is freed, and the handler's thread is left to end on its own (its writes are fenced
 * off). The database never renews the lease past timeout + grace either.
 *
 * <p>
 * With tracing on, the attempt is a span ({@link RunTracing}) current on the handler's thread: the
 * handler's own spans ({@link #span(String)}) and each progress write go under it; it ends with the
 * recorded outcome. Off, {@code runSpan} is null and nothing of it runs.
 */
public final class JobRun implements JobContext {
    private static final Logger LOG = Logger.getLogger(JobRun.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final long FIRST_RETRY_MS = 50;
    private static final long MAX_RETRY_MS = 1000;

    private final ClaimedJob claimed;
    private final Resolution resolution;
    private final JobQueue store;
    private final RunSettings settings;
    private final BiConsumer<JobRun, Outcome> onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Object sleeper = new Object();
    private volatile Thread thread;
    private volatile boolean cancelRequested;
    private volatile boolean lost;
    private volatile boolean timedOut;
    /** The handler's result as JSON text, once it returned one. */
    private volatile String result;
    /** Set once the end of the attempt is recorded (or given up): heartbeats stop mattering. */
    private volatile boolean settled;
    private volatile ScheduledFuture<?> beat;
    /** System.nanoTime() just before the last successful renewal was sent. */
    private volatile long renewedAt = System.nanoTime();

    /** A progress report of the handler. */
    private record Report(int pct, String message) {
    }

    /** Guards the progress fields below. */
    private final Object progressLock = new Object();
    /** System.nanoTime() when the last progress report went out; 0 before the first. */
    private long progressSentAt;
    /** A report is on its way to the database: the next waits for it (reports are written in order). */
    private boolean progressSending;
    /** The latest report not written yet (it supersedes any earlier one); null while none waits. */
    private Report pending;
    /** A write of the pending report is scheduled. */
    private boolean progressFlushScheduled;
    private volatile ScheduledExecutorService heartbeats;
    private final RunTracing tracing;
    /** The attempt's span and its context; null with tracing off. */
    private final Span runSpan;
    private final Context runContext;

    /**
     * @param claim the context of the claim's span ({@link RunTracing#claimed}); null with tracing off
     */
    public JobRun(ClaimedJob claimed, Resolution resolution, JobQueue store, RunSettings settings,
            BiConsumer<JobRun, Outcome> onEnd, RunTracing tracing, Context claim) {
        this.claimed = claimed;
        this.resolution = resolution;
        this.store = store;
        this.settings = settings;
        this.onEnd = onEnd;
        this.tracing = tracing;
        this.runSpan = claim == null ? null : tracing.run(claim, claimed.job());
        this.runContext = runSpan == null ? null : claim.with(runSpan);
    }

    /** Runs the attempt to its end; call on a thread of its own. */
    public void run(ScheduledExecutorService heartbeats) {
        synchronized (sleeper) {
            thread = Thread.currentThread();
        }
        this.heartbeats = heartbeats;
        long interval = settings.heartbeatInterval().toMillis();
        beat = heartbeats.scheduleWithFixedDelay(this::scheduledHeartbeat, interval, interval,
                TimeUnit.MILLISECONDS);
        Integer timeout = job().timeoutSeconds();
        if (timeout != null) {
            heartbeats.schedule(this::timeoutPassed, timeout, TimeUnit.SECONDS);
            heartbeats.schedule(() -> Thread.ofVirtual().name("timeout-" + job().id()).start(this::abandon),
                    TimeUnit.SECONDS.toMillis(timeout) + settings.timeoutGrace().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (settled) {
            beat.cancel(false); // handed back before it started
        }
        Outcome outcome;
        String error = null;
        Scope traced = runContext == null ? null : runContext.makeCurrent();
        try {
            List<Map<String, String>> invalid = resolution.handler() == null ? List.of()
                    : resolution.declaration().violations(job().params());
            if (resolution.handler() == null) {
                outcome = Outcome.REJECTED;
                error = resolution.error();
            } else if (!invalid.isEmpty()) {
                outcome = Outcome.REJECTED; // input that can never succeed: no retry
                error = "invalid params: " + JobTypeSpec.describe(invalid);
            } else {
                result = resultText(resolution.handler().run(this));
                outcome = lost ? Outcome.LOST
                        : timedOut ? Outcome.TIMED_OUT : cancelRequested ? Outcome.CANCELLED : Outcome.COMPLETED;
            }
        } catch (Throwable failure) {
            outcome = lost ? Outcome.LOST
                    : timedOut ? Outcome.TIMED_OUT
                            : cancelRequested ? Outcome.CANCELLED
                                    : failure instanceof JobInputException ? Outcome.REJECTED : Outcome.FAILED;
            error = describe(failure);
            if (outcome == Outcome.FAILED) {
                LOG.infof("job %d attempt %d failed: %s", job().id(), job().attempts(), error);
            }
        } finally {
            // the heartbeat goes on until the end is recorded (see settle)
            synchronized (sleeper) {
                thread = null; // no interrupts from here on
                Thread.interrupted(); // and none left over for the final write
            }
            if (traced != null) {
                traced.close();
            }
        }
        finish(outcome, error);
    }

    /** The timeout passed: asks the handler to stop (signal and interrupt), as a cancel does. */
    private void timeoutPassed() {
        if (!ended.get() && !settled) {
            timedOut = true;
            LOG.infof("job %d: timed out after %d s, stopping the handler", job().id(), job().timeoutSeconds());
            interrupt();
        }
    }

    /** Timeout + grace passed and the handler still runs: the attempt ends as timed out without it. */
    private void abandon() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        timedOut = true;
        LOG.warnf("job %d: the handler ignored its timeout for %d ms: ending the attempt as timed out and freeing "
                + "its slot (its thread is left to end on its own)", job().id(), settings.timeoutGrace().toMillis());
        interrupt();
        settle(Outcome.TIMED_OUT, "the handler did not stop within " + settings.timeoutGrace().toMillis() + " ms");
    }

    /** Drain: if the attempt is still going, stops it and hands the job back for immediate retry. */
    public boolean handBack() {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        interrupt();
        settle(Outcome.RELEASED, null);
        return true;
    }

    private void finish(Outcome outcome, String error) {
        if (ended.compareAndSet(false, true)) {
            settle(outcome, error);
        } // else handed back on drain, which records the end
    }

    /**
     * Records the end of the attempt, retrying while the database does not answer and the lease
     * can still be ours; then stops the heartbeat and frees the slot.
     */
    private void settle(Outcome outcome, String error) {
        supersedeProgress();
        Outcome recorded = outcome;
        if (outcome == Outcome.LOST) {
            LOG.infof("job %d: lease lost, another replica owns it now", job().id());
        } else {
            recorded = record(outcome, error);
        }
        settled = true;
        if (runSpan != null) {
            RunTracing.ended(runSpan, recorded, error);
        }
        ScheduledFuture<?> heartbeat = beat;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        onEnd.accept(this, recorded);
    }

    private Outcome record(Outcome outcome, String error) {
        long pause = FIRST_RETRY_MS;
        long firstFailure = 0;
        while (true) {
            try {
                write(outcome, error).await().atMost(STORE_TIMEOUT);
                if (firstFailure != 0) {
                    LOG.infof("job %d: %s recorded after %d ms of database errors", job().id(), outcome,
                            (System.nanoTime() - firstFailure) / 1_000_000);
                }
                return outcome;
            } catch (LeaseLostException e) {
                LOG.infof("job %d: lease lost before its %s could be recorded", job().id(), outcome);
                return Outcome.LOST;
            } catch (RuntimeException e) {
                long silent = System.nanoTime() - renewedAt;
                if (lost || silent >= settings.leaseLength().toNanos()) {
                    LOG.warnf("job %d: could not record %s and the lease was not renewed for %d ms: giving the job"
                            + " up to the reaper: %s", job().id(), outcome, silent / 1_000_000, e.getMessage());
                    return Outcome.LOST;
                }
                if (firstFailure == 0) {
                    firstFailure = System.nanoTime();
                    LOG.warnf("job %d: could not record %s, retrying until the database answers: %s", job().id(),
                            outcome, e.getMessage());
                }
                try {
                    Thread.sleep(pause); // back-off between retries, not synchronisation
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    LOG.warnf("job %d: interrupted while recording %s; the reaper recovers it", job().id(), outcome);
                    return Outcome.LOST;
                }
                pause = Math.min(MAX_RETRY_MS, pause * 2);
            }
        }
    }

    private Uni<Void> write(Outcome outcome, String error) {
        return switch (outcome) {
            case COMPLETED -> store.completeJob(lease(), result);
            case CANCELLED -> store.cancelRunningJob(lease());
            case FAILED -> store.failJob(lease(), Failure.retryAt(error, settings.retryPolicy().retryAt(job().attempts())));
            case REJECTED -> store.failJob(lease(), Failure.withoutRetry(error));
            case TIMED_OUT -> store.failJob(lease(), Failure.retryAt("timed out after " + job().timeoutSeconds() + " s"
                    + (error == null ? "" : " (" + error + ")"),
                    settings.retryPolicy().retryAt(job().attempts())));
            case RELEASED -> store.releaseJob(lease());
            case LOST -> throw new IllegalArgumentException("nothing to record for a lost lease");
        };
    }

    private void scheduledHeartbeat() {
        if (settled) {
            return;
        }
        try {
            heartbeat();
        } catch (RuntimeException e) {
            long silent = System.nanoTime() - renewedAt;
            if (silent >= settings.leaseLength().toNanos()) {
                markLost("lease not renewed for " + Duration.ofNanos(silent).toMillis() + " ms");
            } else {
                LOG.warnf("job %d: heartbeat failed (will retry): %s", job().id(), e.getMessage());
            }
        }
    }

    @Override
    public void heartbeat() {
        long sent = System.nanoTime();
        apply(store.heartbeatJob(lease(), settings.leaseLength()).await().atMost(STORE_TIMEOUT), sent);
    }

    /**
     * Writes the report at once when the last one went out at least {@code progress-interval} ago and
     * none is on its way; otherwise keeps it as the pending report (superseding an older pending one)
     * and makes sure a write of the pending report is scheduled. A handler reporting in a tight loop
     * thus costs a write per interval, not a database round trip and a progress-log row per call.
     */
    @Override
    public void progress(int pct, String message) {
        if (lost) {
            throw new LeaseLostException(lease());
        }
        Report report = new Report(pct, message);
        synchronized (progressLock) {
            long wait = progressSentAt == 0 ? 0
                    : progressSentAt + settings.progressInterval().toNanos() - System.nanoTime();
            if (progressSending || wait > 0) {
                pending = report;
                scheduleProgressWrite(Math.max(0, wait));
                return;
            }
            startSending();
        }
        send(report);
    }

    /** Holding {@link #progressLock}: the pending report is written in {@code delayNanos}. */
    private void scheduleProgressWrite(long delayNanos) {
        if (!progressFlushScheduled) {
            try {
                heartbeats.schedule(() -> Thread.ofVirtual().name("progress-" + job().id()).start(this::writePending),
                        delayNanos, TimeUnit.NANOSECONDS);
                progressFlushScheduled = true;
            } catch (RejectedExecutionException stopping) {
                // the replica is stopping (its attempts handed back): the report stays pending, unwritten
            }
        }
    }

    /** The pending report, if any and the attempt still runs (its end supersedes it). */
    private void writePending() {
        Report report;
        synchronized (progressLock) {
            progressFlushScheduled = false;
            if (pending == null || settled || ended.get()) {
                return;
            }
            if (progressSending) {
                scheduleProgressWrite(settings.progressInterval().toNanos()); // after the one on its way
                return;
            }
            report = pending;
            startSending();
        }
        try {
            send(report);
        } catch (LeaseLostException e) {
            // marked lost: the handler learns it at its next report, heartbeat or check
        }
    }

    /** Holding {@link #progressLock}: this thread writes the next report, which supersedes any pending one. */
    private void startSending() {
        progressSending = true;
        progressSentAt = System.nanoTime();
        pending = null;
    }

    private void send(Report report) {
        try {
            write(report);
        } finally {
            synchronized (progressLock) {
                progressSending = false;
                progressLock.notifyAll();
            }
        }
    }

    /**
     * The end of the attempt supersedes a pending report; a report on its way is let finish first, so
     * that it is not written after the end (nor read as a lost lease because the end came first).
     */
    private void supersedeProgress() {
        boolean interrupted = false;
        synchronized (progressLock) {
            pending = null;
            while (progressSending) {
                try {
                    progressLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the end is recorded all the same
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(Report report) {
        if (runContext == null) {
            report(report.pct(), report.message());
            return;
        }
        try (JobSpan span = tracing.child("jobflow progress", runContext)) {
            span.attribute("jobflow.job.id", job().id()).attribute("jobflow.progress.pct", report.pct());
            report(report.pct(), report.message());
        }
    }

    @Override
    public JobSpan span(String name) {
        return runContext == null ? JobSpan.NONE : tracing.child(name, runContext);
    }

    private void report(int pct, String message) {
        long sent = System.nanoTime();
        LeaseState state;
        try {
            state = store.reportProgress(lease(), pct, message, settings.leaseLength()).await().atMost(STORE_TIMEOUT);
        } catch (LeaseLostException e) {
            throw e;
        } catch (RuntimeException e) {
            // Progress is superseded by the next report; a database that does not answer is not the job's
            // failure. The heartbeat decides when the lease is lost.
            LOG.warnf("job %d: progress %d %% not recorded (the job goes on): %s", job().id(), pct, e.getMessage());
            return;
        }
        apply(state, sent);
        if (state == LeaseState.LOST) {
            throw new LeaseLostException(lease());
        }
    }

    private void apply(LeaseState state, long sent) {
        switch (state) {
            case HELD -> renewedAt = sent;
            case CANCEL_REQUESTED -> {
                renewedAt = sent;
                if (!cancelRequested) {
                    cancelRequested = true;
                    LOG.infof("job %d: cancel requested, stopping the handler", job().id());
                    interrupt();
                }
            }
            case LOST -> markLost("the lease is no longer ours");
        }
    }

    private void markLost(String why) {
        if (!lost && !settled) {
            lost = true;
            LOG.warnf("job %d: %s; stopping the handler without writing", job().id(), why);
            interrupt();
        }
    }

    /** Wakes a sleeping handler and interrupts its thread, only while the handler itself runs. */
    private void interrupt() {
        synchronized (sleeper) {
            sleeper.notifyAll();
            Thread running = thread;
            if (running != null && running != Thread.currentThread()) {
                running.interrupt();
            }
        }
    }

    @Override
    public boolean sleep(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (sleeper) {
            while (!cancelRequested && !lost && !timedOut) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(sleeper, left);
            }
        }
        return false;
    }

    @Override
    public boolean isCancelled() {
        return cancelRequested || lost || timedOut;
    }

    @Override
    public Job job() {
        return claimed.job();
    }

    @Override
    public Lease lease() {
        return claimed.lease();
    }

    /**
     * The handler's return value as JSON text; one that cannot be written as JSON or is over the
     * limit is replaced by a note saying so (the job still completes: its work is done).
     */
    private String resultText(Object value) {
        if (value == null) {
            return null;
        }
        String json;
        try {
            json = JobParams.writeValue(value);
        } catch (IllegalArgumentException e) {
            LOG.warnf("job %d: its result cannot be written as JSON: %s", job().id(), e.getMessage());
            return JobParams.writeValue(Map.of("resultError", "not JSON: " + e.getMessage()));
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > ColumnLimits.RESULT_BYTES) {
            LOG.warnf("job %d: its result has %d bytes, over the limit of %d: not kept", job().id(), bytes,
                    ColumnLimits.RESULT_BYTES);
            return JobParams.writeValue(Map.of("resultError", "a result of " + bytes + " bytes is over the limit of "
                    + ColumnLimits.RESULT_BYTES));
        }
        return json;
    }

    @Override
    public void log(String level, String message) {
        try {
            if (!store.appendLog(lease(), level, message).await().atMost(STORE_TIMEOUT)) {
                LOG.debugf("job %d: log line not kept (the lease is no longer ours)", job().id());
            }
        } catch (RuntimeException e) {
            LOG.warnf("job %d: log line not written (the job goes on): %s", job().id(), e.getMessage());
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        // The cause chain: what failed, and why, as far down as it goes.
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null && text.length() < 4000; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- caused by ");
            }
            String message = t.getMessage();
            text.append(t.getClass().getSimpleName()).append(message == null ? "" : ": " + message);
        }
        return text.toString();
    }
}

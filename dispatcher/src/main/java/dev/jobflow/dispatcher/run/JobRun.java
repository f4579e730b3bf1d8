package dev.jobflow.dispatcher.run;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.model.LeaseState;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.LeaseLostException;
import dev.jobflow.dispatcher.handler.HandlerRegistry.Resolution;
import dev.jobflow.dispatcher.handler.JobContext;

/**
 * One attempt of one claimed job: runs its handler on the calling (virtual) thread, renews the
 * lease every heartbeat interval, and writes the outcome fenced by the lease token. Exactly one of
 * {@link #run()}'s ending and {@link #handBack()} writes the final state.
 */
public final class JobRun implements JobContext {
    private static final Logger LOG = Logger.getLogger(JobRun.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final ClaimedJob claimed;
    private final Resolution resolution;
    private final JobStore store;
    private final RunSettings settings;
    private final BiConsumer<JobRun, Outcome> onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Object sleeper = new Object();
    private volatile Thread thread;
    private volatile boolean cancelRequested;
    private volatile boolean lost;
    /** System.nanoTime() just before the last successful renewal was sent. */
    private volatile long renewedAt = System.nanoTime();

    public JobRun(ClaimedJob claimed, Resolution resolution, JobStore store, RunSettings settings,
            BiConsumer<JobRun, Outcome> onEnd) {
        this.claimed = claimed;
        this.resolution = resolution;
        this.store = store;
        this.settings = settings;
        this.onEnd = onEnd;
    }

    /** Runs the attempt to its end; call on a thread of its own. */
    public void run(ScheduledExecutorService heartbeats) {
        synchronized (sleeper) {
            thread = Thread.currentThread();
        }
        long interval = settings.heartbeatInterval().toMillis();
        ScheduledFuture<?> beat = heartbeats.scheduleWithFixedDelay(this::scheduledHeartbeat, interval, interval,
                TimeUnit.MILLISECONDS);
        Outcome outcome;
        String error = null;
        try {
            if (resolution.handler() == null) {
                outcome = Outcome.REJECTED;
                error = resolution.error();
            } else {
                resolution.handler().run(this);
                outcome = lost ? Outcome.LOST : cancelRequested ? Outcome.CANCELLED : Outcome.COMPLETED;
            }
        } catch (Throwable failure) {
            outcome = lost ? Outcome.LOST : cancelRequested ? Outcome.CANCELLED : Outcome.FAILED;
            error = describe(failure);
            if (outcome == Outcome.FAILED) {
                LOG.infof("job %d attempt %d failed: %s", job().id(), job().attempts(), error);
            }
        } finally {
            beat.cancel(false);
            synchronized (sleeper) {
                thread = null; // no interrupts from here on
                Thread.interrupted(); // and none left over for the final write
            }
        }
        finish(outcome, error);
    }

    /** Drain: if the attempt is still going, stops it and hands the job back for immediate retry. */
    public boolean handBack() {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        interrupt();
        try {
            store.releaseJob(lease()).await().atMost(STORE_TIMEOUT);
        } catch (LeaseLostException e) {
            LOG.debugf("job %d was no longer ours when handed back", job().id());
        } catch (RuntimeException e) {
            LOG.warnf("could not hand back job %d (its lease will expire): %s", job().id(), e.getMessage());
        }
        onEnd.accept(this, Outcome.RELEASED);
        return true;
    }

    private void finish(Outcome outcome, String error) {
        if (!ended.compareAndSet(false, true)) {
            return; // handed back on drain
        }
        try {
            switch (outcome) {
                case COMPLETED -> store.completeJob(lease()).await().atMost(STORE_TIMEOUT);
                case CANCELLED -> store.cancelRunningJob(lease()).await().atMost(STORE_TIMEOUT);
                case FAILED -> store.failJob(lease(), error, settings.retryPolicy().retryAt(job().attempts()))
                        .await().atMost(STORE_TIMEOUT);
                case REJECTED -> store.failJob(lease(), error, null).await().atMost(STORE_TIMEOUT);
                case LOST -> LOG.infof("job %d: lease lost, another replica owns it now", job().id());
                case RELEASED -> {
                    // written by handBack()
                }
            }
        } catch (LeaseLostException e) {
            LOG.infof("job %d: lease lost before its %s could be recorded", job().id(), outcome);
            outcome = Outcome.LOST;
        } catch (RuntimeException e) {
            LOG.warnf("job %d: could not record %s (the reaper retries it when the lease expires): %s", job().id(),
                    outcome, e.getMessage());
            outcome = Outcome.LOST;
        }
        onEnd.accept(this, outcome);
    }

    private void scheduledHeartbeat() {
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

    @Override
    public void progress(int pct, String message) {
        long sent = System.nanoTime();
        LeaseState state = store.reportProgress(lease(), pct, message, settings.leaseLength()).await()
                .atMost(STORE_TIMEOUT);
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
        if (!lost) {
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
            while (!cancelRequested && !lost) {
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
        return cancelRequested || lost;
    }

    @Override
    public Job job() {
        return claimed.job();
    }

    @Override
    public Lease lease() {
        return claimed.lease();
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}

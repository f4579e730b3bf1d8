package dev.jobflow.dispatcher.cycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.CycleRecord;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.store.JobQueue;
import dev.jobflow.dispatcher.config.DispatcherConfig;
import dev.jobflow.dispatcher.config.ReplicaIdentity;
import dev.jobflow.dispatcher.run.RunTracing;
import dev.jobflow.dispatcher.run.Slots;

/**
 * One time-boxed dispatch cycle (invariant 9, the seed's answer): wait up to W for work, claim up
 * to the free slots from the served queues in turn (after the optional coalescing delay), log an idle heartbeat when a wait
 * finds
 * nothing, end after T and record the cycle's row. A fresh cycle starts as soon as one ends (see
 * DispatcherLifecycle); cycles never overlap.
 */
@ApplicationScoped
public class DispatchCycle {
    private static final Logger LOG = Logger.getLogger(DispatchCycle.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
    /** A wake-up reads the queue list again when it is older than this (a new queue's first job). */
    private static final Duration QUEUE_LIST_AGE = Duration.ofSeconds(1);

    private final DispatcherConfig config;
    private final String replicaId;
    private final JobQueue store;
    private final Slots slots;
    private final QueueTurns turns;
    private final WakeSignal wake;
    private final CycleMetrics metrics;
    private final RunTracing tracing;
    /** A global cap or a local queue limit: one of our jobs ending may let a claim take more. */
    private final boolean limitedBySlotsEnding;
    /** Held while a cycle runs; {@link #stop()} waits on it. */
    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean stopping;

    DispatchCycle(DispatcherConfig config, ReplicaIdentity replica, JobQueue store, Slots slots, QueueTurns turns,
            WakeSignal wake, CycleMetrics metrics, RunTracing tracing) {
        this.turns = turns;
        this.tracing = tracing;
        this.config = config;
        this.replicaId = replica.id();
        this.store = store;
        this.slots = slots;
        this.wake = wake;
        this.metrics = metrics;
        this.limitedBySlotsEnding = config.globalCap().isPresent() || !config.queueSlots().isEmpty();
    }

    /** Runs one cycle to its end (T, or a stop); blocking, for a virtual thread. */
    public void runCycle() throws InterruptedException {
        if (stopping || !running.tryLock()) {
            return;
        }
        try {
            Instant started = Instant.now();
            long end = System.nanoTime() + config.cycleLength().toNanos();
            int polls = 0;
            int claimed = 0;
            while (!stopping && System.nanoTime() < end) {
                WakeSignal.Seen seen = wake.seen();
                int free = slots.free();
                boolean mayBeMore = false;
                // a freed slot is worth a claim only if the slots were full or a cap or limit held back
                // the last claim; after a claim that found the queues empty it would find nothing
                boolean slotFreedMatters = free == 0 || limitedBySlotsEnding;
                if (free > 0) {
                    Claims claims;
                    try {
                        claims = claimInTurn(free);
                    } catch (RuntimeException e) {
                        LOG.warnf("claim failed (retrying): %s", e.getMessage());
                        wake.await(seen, false, ERROR_PAUSE);
                        continue;
                    }
                    polls += claims.polls();
                    claimed += claims.claimed();
                    mayBeMore = claims.mayBeMore();
                    slotFreedMatters |= claims.capped();
                }
                if (mayBeMore) {
                    continue; // the slots took all they asked for: look again once one frees
                }
                Duration wait = waitFor(free, end);
                boolean woken = wake.await(seen, slotFreedMatters, wait);
                if (woken && !stopping) {
                    turns.refreshIfOlderThan(QUEUE_LIST_AGE);
                }
                if (!woken && free > 0 && !stopping) {
                    metrics.idle();
                    LOG.debugf("idle: no work for %d ms (%d/%d slots busy)", wait.toMillis(), slots.busy(),
                            slots.capacity());
                }
                if (woken && !stopping && !config.coalescingDelay().isZero()) {
                    Thread.sleep(config.coalescingDelay()); // deliberate: let a batch gather (seed's answer)
                }
            }
            record(started, polls, claimed);
        } finally {
            running.unlock();
        }
    }

    /** {@code capped}: a queue claimed from has a cap (its slots are shared with other replicas). */
    private record Claims(int polls, int claimed, boolean mayBeMore, boolean capped) {
    }

    /**
     * Claims up to {@code free} jobs across the served queues, each queue in turn asking for its
     * share of what is still free (within its local limit): a queue that has fewer leaves the rest
     * to the queues after it, and the next claim starts with the next queue.
     *
     * @return the claims made, and whether a queue gave all it was asked for (it may have more)
     */
    private Claims claimInTurn(int free) {
        List<QueueSettings> order = turns.nextOrder();
        int remaining = free;
        int polls = 0;
        int claimed = 0;
        boolean mayBeMore = false;
        boolean capped = false;
        for (int i = 0; i < order.size() && remaining > 0; i++) {
            String queue = order.get(i).name();
            capped |= order.get(i).cap() != null;
            int share = (remaining + order.size() - i - 1) / (order.size() - i);
            int ask = Math.min(share, slots.free(queue));
            if (ask <= 0) {
                continue;
            }
            Instant started = tracing.claimStarted();
            List<ClaimedJob> got = store.claimJobs(new ClaimRequest(replicaId, ask, config.leaseLength(),
                    config.globalCap(), queue, config.timeoutGrace())).await().atMost(STORE_TIMEOUT);
            polls++;
            claimed += got.size();
            remaining -= got.size();
            metrics.polled(got.size());
            got.forEach(job -> slots.start(job, started));
            mayBeMore |= got.size() == ask;
        }
        return new Claims(polls, claimed, mayBeMore, capped);
    }

    /** Up to W, less if a delayed job falls due or the cycle ends sooner. */
    private Duration waitFor(int free, long end) {
        Duration wait = config.pollWait();
        if (free > 0) {
            try {
                Optional<Instant> next = store.nextDelayedRunAt().await().atMost(STORE_TIMEOUT);
                if (next.isPresent()) {
                    Duration untilDue = Duration.between(Instant.now(), next.get()).plusMillis(5);
                    wait = untilDue.compareTo(wait) < 0 ? untilDue : wait;
                }
            } catch (RuntimeException e) {
                LOG.debugf("next delayed job unknown: %s", e.getMessage());
            }
        }
        Duration left = Duration.ofNanos(end - System.nanoTime());
        wait = left.compareTo(wait) < 0 ? left : wait;
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private void record(Instant started, int polls, int claimed) {
        int[] ended = metrics.takeEnded();
        CycleRecord cycle = new CycleRecord(replicaId, started, Instant.now(), polls, claimed, ended[0], ended[1]);
        metrics.cycleEnded(cycle);
        LOG.infof("cycle ended: %d polls, %d claimed, %d completed, %d failed, %.2f jobs/s", polls, claimed,
                ended[0], ended[1], cycle.jobsPerSecond());
        try {
            store.recordCycle(cycle).await().atMost(STORE_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("could not record the cycle row: %s", e.getMessage());
        }
    }

    public boolean isStopping() {
        return stopping;
    }

    /** Stops claiming: the current cycle records its row and no new one starts. */
    public void stop(Duration timeout) throws InterruptedException {
        stopping = true;
        wake.signal();
        if (running.tryLock(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            running.unlock();
        }
    }
}

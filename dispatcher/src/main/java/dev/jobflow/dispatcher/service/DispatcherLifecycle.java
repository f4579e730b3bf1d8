package dev.jobflow.dispatcher.service;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;

import dev.jobflow.core.store.JobQueue;
import dev.jobflow.core.store.StoreUnavailable;
import dev.jobflow.dispatcher.config.ConfigCheck;
import dev.jobflow.dispatcher.config.DispatcherConfig;
import dev.jobflow.dispatcher.config.ReplicaIdentity;
import dev.jobflow.dispatcher.cycle.CycleMetrics;
import dev.jobflow.dispatcher.cycle.DispatchCycle;
import dev.jobflow.dispatcher.cycle.QueueTurns;
import dev.jobflow.dispatcher.cycle.WakeSignal;
import dev.jobflow.dispatcher.events.EventRelay;
import dev.jobflow.dispatcher.events.WebhookRelay;
import dev.jobflow.dispatcher.handler.HandlerRegistry;
import dev.jobflow.dispatcher.run.Slots;

/**
 * Starts the replica (config check, replica row, LISTEN wake-ups, the scheduled cycle, reaper and
 * replica heartbeat) and drains it on SIGTERM: stop claiming, let running jobs finish within the
 * grace period, hand back the rest for immediate retry elsewhere, leave the replica table. A replica
 * whose database cannot be reached when it starts stays up, not ready, and starts once it can.
 */
@ApplicationScoped
public class DispatcherLifecycle {
    private static final Logger LOG = Logger.getLogger(DispatcherLifecycle.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final String START_JOB = "jobflow-replica-start";

    private final DispatcherConfig config;
    private final String replicaId;
    private final JobQueue store;
    private final Scheduler scheduler;
    private final DispatchCycle cycle;
    private final Slots slots;
    private final WakeSignal wake;
    private final QueueTurns turns;
    private final Retention retention;
    private final EventRelay events;
    private final WebhookRelay webhooks;
    private final HandlerRegistry handlers;
    private final CycleMetrics metrics;
    private volatile AutoCloseable readySubscription;
    private volatile boolean started;
    private volatile boolean draining;

    DispatcherLifecycle(DispatcherConfig config, ReplicaIdentity replica, JobQueue store, Scheduler scheduler,
            DispatchCycle cycle, Slots slots, WakeSignal wake, QueueTurns turns, Retention retention, EventRelay events,
            WebhookRelay webhooks, HandlerRegistry handlers, CycleMetrics metrics) {
        this.events = events;
        this.webhooks = webhooks;
        this.handlers = handlers;
        this.turns = turns;
        this.metrics = metrics;
        this.retention = retention;
        this.config = config;
        this.replicaId = replica.id();
        this.store = store;
        this.scheduler = scheduler;
        this.cycle = cycle;
        this.slots = slots;
        this.wake = wake;
    }

    void onStart(@Observes StartupEvent event) {
        ConfigCheck.validate(config);
        try {
            register();
        } catch (RuntimeException e) {
            if (!StoreUnavailable.causedBy(e)) {
                throw e;
            }
            // A pod started while the database restarts or fails over stays up and not ready, instead of
            // exiting into Kubernetes' crash-loop back-off; nothing is claimed before its replica row exists.
            LOG.warnf("database unavailable at start (%s): not ready; trying again every second", e.getMessage());
            scheduler.newJob(START_JOB)
                    .setInterval("1s")
                    .setConcurrentExecution(ConcurrentExecution.SKIP)
                    .setTask(execution -> retryStart(), true)
                    .schedule();
            return;
        }
        begin();
    }

    /** The replica row, this replica's job types and the ready-job wake-ups: what must exist before a claim. */
    private void register() {
        store.heartbeatReplica(replicaId, config.slots(), false).await().atMost(STORE_TIMEOUT);
        store.registerJobTypes(replicaId, handlers.declarations()).await().atMost(STORE_TIMEOUT);
        readySubscription = store.subscribeReady(wake::signal).await().atMost(STORE_TIMEOUT);
    }

    /** onStart's rule again, each second: retried while the database is away, any other failure ends the process. */
    private void retryStart() {
        if (draining) {
            return;
        }
        try {
            register();
        } catch (RuntimeException e) {
            if (StoreUnavailable.causedBy(e)) {
                LOG.debugf("start: database still unavailable: %s", e.getMessage());
            } else {
                LOG.error("start failed once the database answered", e);
                scheduler.unscheduleJob(START_JOB);
                Quarkus.asyncExit(1);
            }
            return;
        }
        scheduler.unscheduleJob(START_JOB);
        LOG.info("database reachable: starting");
        begin();
    }

    /** The scheduled work of a registered replica: cycles, refreshes, relays, reaper, heartbeats. */
    private void begin() {
        turns.refresh();
        scheduler.newJob("jobflow-queue-refresh")
                .setInterval("5s")
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setTask(execution -> turns.refresh(), true)
                .schedule();
        if (config.retention().enabled()) {
            everyOnWorker("jobflow-retention", config.retention().interval(), retention::run);
        }
        // The relays run on their own scheduler jobs: a broker or receiver that is away delays them,
        // never a claim or a run.
        if (config.events().enabled()) {
            everyOnWorker("jobflow-event-relay", config.events().interval(), events::run);
        }
        if (config.webhooks().enabled()) {
            everyOnWorker("jobflow-webhooks", config.webhooks().interval(), webhooks::run);
        }
        if (config.schedules()) {
            scheduler.newJob("jobflow-schedules")
                    .setInterval("1s")
                    .setConcurrentExecution(ConcurrentExecution.SKIP)
                    .setAsyncTask(execution -> draining ? Uni.createFrom().voidItem() : fireSchedules())
                    .schedule();
        }
        scheduler.newJob("jobflow-dispatch-cycle")
                .setInterval("1s")
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setTask(execution -> runCycle(), true)
                .schedule();
        scheduler.newJob("jobflow-lease-reaper")
                .setInterval(config.reaperInterval().toString())
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> reap())
                .schedule();
        scheduler.newJob("jobflow-job-types")
                .setInterval("1m")
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> draining ? Uni.createFrom().voidItem() : registerJobTypes())
                .schedule();
        scheduler.newJob("jobflow-replica-heartbeat")
                .setInterval(atLeastOneSecond(config.heartbeatInterval()).toString())
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> draining ? Uni.createFrom().voidItem() : heartbeatReplica())
                .schedule();
        LOG.infof("dispatcher %s started: %d slot(s), global cap %s, queues %s, W=%s, T=%s, lease %s, heartbeat %s",
                replicaId, config.slots(), config.globalCap().isPresent() ? config.globalCap().getAsInt() : "none",
                config.queues().map(Object::toString).orElse("all"), config.pollWait(), config.cycleLength(),
                config.leaseLength(), config.heartbeatInterval());
        started = true;
    }

    /** A blocking task every {@code interval} (at least 1s) on a worker thread, skipped while the last one runs. */
    private void everyOnWorker(String name, Duration interval, Runnable task) {
        scheduler.newJob(name)
                .setInterval(atLeastOneSecond(interval).toString())
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setTask(execution -> task.run(), true)
                .schedule();
    }

    /** quarkus-scheduler runs intervals of at least one second. */
    private static Duration atLeastOneSecond(Duration interval) {
        return interval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : interval;
    }

    /**
     * Cycles back to back: each ends after T with its row and the next starts at once. The
     * scheduler (every second, never concurrently) only starts this loop, and restarts it should a
     * cycle ever fail.
     */
    private void runCycle() {
        try {
            // This instance's own flag: after shutdown a call through the bean proxy could meet a
            // fresh DispatchCycle that never heard of the drain.
            while (!draining) {
                cycle.runCycle();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Uni<Void> reap() {
        return store.reapExpiredLeases().invoke(count -> {
            if (count > 0) {
                metrics.leasesExpired(count);
                LOG.infof("reaper: returned %d job(s) with expired leases", count);
            }
        }).onFailure().invoke(e -> LOG.warnf("reaper failed: %s", e.getMessage())).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Makes the jobs of the schedules that fell due (one per due time, whichever replica gets there). */
    private Uni<Void> fireSchedules() {
        return store.fireDueSchedules(Instant.now(), config.misfireAfter()).invoke(pass -> {
            if (pass.jobs() > 0) {
                LOG.debugf("schedules: %d job(s) made", pass.jobs());
            }
        }).onFailure().invoke(e -> LOG.warnf("schedule pass failed (next in a second): %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Keeps this replica's job types known to job-api (retention forgets types nobody registers). */
    private Uni<Void> registerJobTypes() {
        return store.registerJobTypes(replicaId, handlers.declarations()).onFailure()
                .invoke(e -> LOG.warnf("job type registration failed (next in a minute): %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> heartbeatReplica() {
        return store.heartbeatReplica(replicaId, config.slots(), draining).onFailure()
                .invoke(e -> LOG.warnf("replica heartbeat failed: %s", e.getMessage())).onFailure().recoverWithNull();
    }

    public boolean isDraining() {
        return draining;
    }

    /** Whether the replica is registered and its cycles scheduled (false while its database is away at start). */
    public boolean isStarted() {
        return started;
    }

    void onStop(@Observes ShutdownEvent event) {
        draining = true;
        LOG.infof("draining: no new claims; %d running job(s) get %s to finish", slots.busy(), config.drainGrace());
        try {
            cycle.stop(Duration.ofSeconds(5));
            heartbeatReplica().await().atMost(STORE_TIMEOUT); // the last one: marks the row draining
            int handedBack = slots.drain(config.drainGrace());
            LOG.infof("drained: %d job(s) handed back for immediate retry", handedBack);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("drain incomplete (leases will expire): %s", e.getMessage());
        } finally {
            try {
                store.removeReplica(replicaId).await().atMost(STORE_TIMEOUT);
                if (readySubscription != null) {
                    readySubscription.close();
                }
            } catch (Exception e) {
                LOG.debugf("closing: %s", e.getMessage());
            }
        }
    }
}

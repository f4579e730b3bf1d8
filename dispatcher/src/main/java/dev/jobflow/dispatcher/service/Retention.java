package dev.jobflow.dispatcher.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.jobflow.core.model.PruneResult;
import dev.jobflow.core.model.RetentionPolicy;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.core.store.JobQueue;
import dev.jobflow.dispatcher.config.DispatcherConfig;

/**
 * Keeps the tables bounded: every {@code retention.interval} a pass prunes finished jobs (with their
 * runs and log lines), cycle rows, ended unique keys, forgotten replicas, audit entries, old job
 * events (the outbox) and (Oracle) the AQ exception queue's messages, in batches; while a
 * kind fills its batch it goes on (up to {@link #MAX_PASSES} passes). Every replica runs it; the
 * database lets one at a time prune. Counted in {@code jobflow_retention_deleted_total{kind}}. (The
 * progress log is the hub's to trim.)
 */
@ApplicationScoped
public class Retention {
    private static final Logger LOG = Logger.getLogger(Retention.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(60);
    static final int MAX_PASSES = 50;

    private final JobQueue store;
    private final EventOutbox outbox;
    private final Duration eventsMaxAge;
    private final RetentionPolicy policy;
    private final MeterRegistry registry;

    Retention(JobQueue store, EventOutbox outbox, DispatcherConfig config, MeterRegistry registry) {
        DispatcherConfig.Retention r = config.retention();
        this.store = store;
        this.outbox = outbox;
        this.eventsMaxAge = r.eventsMaxAge();
        this.policy = new RetentionPolicy(r.jobsMaxAge(), r.jobsMaxCount(), r.cyclesMaxAge(), r.replicasMaxAge(),
                r.auditMaxAge(), r.exceptionQueueMaxAge(), r.exceptionQueueMaxCount(), r.batch());
        this.registry = registry;
    }

    /** Prunes until nothing more is due (or another replica holds the pass); blocking. */
    public void run() {
        try {
            for (int pass = 0; pass < MAX_PASSES; pass++) {
                PruneResult result = store.prune(policy).await().atMost(STORE_TIMEOUT);
                if (!result.ran()) {
                    return;
                }
                count("jobs", result.jobs());
                count("cycles", result.cycles());
                count("unique_keys", result.uniqueKeys());
                count("replicas", result.replicas());
                count("audit", result.audit());
                count("exception_queue", result.exceptionMessages());
                int events = outbox.pruneEvents(eventsMaxAge, policy.batch()).await().atMost(STORE_TIMEOUT);
                count("events", events);
                if (result.removedAny() || events > 0) {
                    LOG.debugf("retention removed %d jobs, %d cycles, %d unique keys, %d replicas, %d audit entries,"
                            + " %d exception queue messages, %d events", result.jobs(), result.cycles(),
                            result.uniqueKeys(), result.replicas(), result.audit(), result.exceptionMessages(), events);
                }
                if (!result.full() && events < policy.batch()) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("retention pass failed (next interval): %s", e.getMessage());
        }
    }

    private void count(String kind, int removed) {
        Counter.builder("jobflow.retention.deleted").description("Rows removed by retention, by kind").tag("kind", kind)
                .register(registry).increment(removed);
    }
}

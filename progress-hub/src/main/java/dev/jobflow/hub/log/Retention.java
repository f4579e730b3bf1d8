package dev.jobflow.hub.log;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;

import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.hub.config.HubConfig;

/**
 * Keeps the progress log bounded by age and count: every {@code retention.interval} each replica
 * trims (idempotent; concurrent trims by several replicas only repeat work). The retention floor it
 * raises makes a resume from a trimmed offset answer recovered=false instead of a silent gap.
 */
@ApplicationScoped
public class Retention {
    private static final Logger LOG = Logger.getLogger(Retention.class);

    private final ProgressLog log;
    private final Vertx vertx;
    private final HubConfig.Retention config;
    private final Counter trimmed;

    Retention(ProgressLog log, Vertx vertx, HubConfig config, MeterRegistry registry) {
        this.log = log;
        this.vertx = vertx;
        this.config = config.retention();
        this.trimmed = registry.counter("jobflow.hub.retention.deleted");
    }

    void onStart(@Observes StartupEvent event) {
        vertx.setPeriodic(config.interval().toMillis(), id -> trim());
    }

    void trim() {
        log.trim(config.maxAge(), config.maxCount()).subscribe().with(deleted -> {
            trimmed.increment(deleted);
            if (deleted > 0) {
                LOG.debugf("retention deleted %d progress messages", deleted);
            }
        }, failure -> LOG.warnf("retention failed (retrying next interval): %s", failure.getMessage()));
    }
}

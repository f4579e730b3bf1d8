package dev.jobflow.api.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Turns off Mutiny's callback decorators, which Quarkus' context propagation installs: they capture
 * and restore every context (CDI, Vert.x, tracing) around each Mutiny callback, a third of job-api's
 * CPU per submit (docs/benchmarks.md, section 1). job-api does not need them: a request's CDI scope
 * and span live on its Vert.x duplicated context, and every answer that comes back on another thread
 * or context is handed back to the request's own context where it arises ({@code GroupCommit}, the
 * OIDC check in {@code Callers}). The Uni and Multi interceptors stay as they were.
 */
@ApplicationScoped
class MutinyCallbacks {
    void atStart(@Observes @Priority(1) StartupEvent event) {
        Infrastructure.clearInterceptors();
        Infrastructure.reloadUniInterceptors();
        Infrastructure.reloadMultiInterceptors();
    }
}

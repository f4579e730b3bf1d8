package dev.jobflow.core.runtime;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.store.ReplicaDirectory;

/**
 * A store/queue backend in a module of its own (job-store-postgres, job-store-oracle) that plugs
 * into the services as a CDI bean: {@link StoreProducer} picks the one whose {@link #backend()}
 * matches {@code jobflow.store.backend} at start-up. Implementations connect lazily: a backend
 * that is on the classpath but not chosen opens nothing.
 */
public interface StoreBackend {

    /** The value of {@code jobflow.store.backend} this implements. */
    StoreConfig.Backend backend();

    /**
     * Checks this backend's settings without connecting; throws {@link IllegalStateException}
     * with a message naming the setting when one is missing or wrong. Called at start-up.
     */
    void validate();

    /** The backend's reactive pool, shared by its ports (health checks and test inspection use it too). */
    Pool pool();

    /**
     * One round trip to the database on {@link #pool()}; fails when it does not answer. Readiness
     * ({@link StoreReadiness}) asks it, on every backend.
     */
    Uni<Void> ping();

    JobStore jobStore();

    ProgressLog progressLog();

    ReplicaDirectory replicaDirectory();

    /** Runs {@code sql:<procedure>} jobs in this backend's database. */
    ProcedureRunner procedureRunner();

    /** The keys and the shared signing secret the services check. */
    Credentials credentials();

    /** The outbox of job lifecycle events and the queues' webhooks. */
    EventOutbox eventOutbox();
}

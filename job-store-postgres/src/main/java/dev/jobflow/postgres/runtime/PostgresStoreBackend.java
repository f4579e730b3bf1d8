package dev.jobflow.postgres.runtime;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

import dev.jobflow.core.runtime.StoreBackend;
import dev.jobflow.core.runtime.StoreConfig;
import dev.jobflow.core.sql.SqlReplicaDirectory;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.store.ReplicaDirectory;
import dev.jobflow.postgres.PgDatabase;
import dev.jobflow.postgres.PgJobStore;
import dev.jobflow.postgres.PgProcedureRunner;
import dev.jobflow.postgres.PgProgressLog;

/**
 * {@code jobflow.store.backend=postgresql} (the default): the PostgreSQL store, opened on first use
 * (a service that runs on Oracle with this module on its classpath opens no PostgreSQL connection).
 */
@ApplicationScoped
public class PostgresStoreBackend implements StoreBackend {
    private static final Logger LOG = Logger.getLogger(PostgresStoreBackend.class);

    @Inject
    Vertx vertx;
    @Inject
    StoreConfig store;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private Pool pool;
    private PgJobStore jobStore;
    private PgProgressLog progressLog;
    private SqlReplicaDirectory replicaDirectory;
    private PgProcedureRunner procedureRunner;

    @Override
    public StoreConfig.Backend backend() {
        return StoreConfig.Backend.POSTGRESQL;
    }

    @Override
    public void validate() {
        if (url.isEmpty() || url.get().isBlank()) {
            throw new IllegalStateException("jobflow.store.backend=postgresql needs quarkus.datasource.jdbc.url "
                    + "(JOBFLOW_DB_URL in the services; jdbc:postgresql://host:port/database)");
        }
        try {
            PgDatabase.connectOptions(url.get(), null, null);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + ": set quarkus.datasource.jdbc.url"
                    + " (JOBFLOW_DB_URL in the services)", e);
        }
    }

    @Override
    public synchronized Pool pool() {
        open();
        return pool;
    }

    @Override
    public synchronized JobStore jobStore() {
        open();
        return jobStore;
    }

    @Override
    public synchronized ProgressLog progressLog() {
        open();
        return progressLog;
    }

    @Override
    public synchronized ReplicaDirectory replicaDirectory() {
        open();
        return replicaDirectory;
    }

    @Override
    public synchronized ProcedureRunner procedureRunner() {
        open();
        return procedureRunner;
    }

    private void open() {
        if (pool != null) {
            return;
        }
        validate();
        LOG.infof("store: PostgreSQL at %s", PgDatabase.redact(url.get()));
        PgConnectOptions options = PgDatabase.connectOptions(url.get(), user.orElse(null), password.orElse(null));
        pool = PgDatabase.pool(vertx, options, store.poolSize());
        jobStore = new PgJobStore(vertx, pool, options, store.replicaTtl());
        progressLog = new PgProgressLog(pool);
        replicaDirectory = new SqlReplicaDirectory(pool, NamedQueries.load("db/queries/postgres/replicas.sql"),
                store.replicaTtl(), store.replicaForgetAfter());
        procedureRunner = new PgProcedureRunner(pool);
    }

    @PreDestroy
    synchronized void close() {
        if (pool != null) {
            pool.closeAndAwait();
            pool = null;
        }
    }
}

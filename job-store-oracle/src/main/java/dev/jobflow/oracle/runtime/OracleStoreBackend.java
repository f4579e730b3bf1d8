package dev.jobflow.oracle.runtime;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.runtime.StoreBackend;
import dev.jobflow.core.runtime.StoreConfig;
import dev.jobflow.core.sql.SqlReplicaDirectory;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.store.ReplicaDirectory;
import dev.jobflow.oracle.OracleDatabase;
import dev.jobflow.oracle.OracleJobStore;
import dev.jobflow.oracle.OracleProcedureRunner;
import dev.jobflow.oracle.OracleProgressLog;
import dev.jobflow.oracle.aq.AqSessions;

import oracle.jdbc.pool.OracleDataSource;

/**
 * {@code jobflow.store.backend=oracle}: the Oracle store, opened on first use (a service that runs
 * on PostgreSQL with this module on its classpath opens no Oracle session).
 */
@ApplicationScoped
public class OracleStoreBackend implements StoreBackend {
    private static final Logger LOG = Logger.getLogger(OracleStoreBackend.class);

    @Inject
    Vertx vertx;
    @Inject
    StoreConfig store;
    @Inject
    OracleStoreConfig oracle;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private Pool pool;
    private OracleJobStore jobStore;
    private OracleProgressLog progressLog;
    private SqlReplicaDirectory replicaDirectory;
    private OracleProcedureRunner procedureRunner;

    @Override
    public StoreConfig.Backend backend() {
        return StoreConfig.Backend.ORACLE;
    }

    @Override
    public void validate() {
        if (url.isEmpty() || url.get().isBlank()) {
            throw new IllegalStateException("jobflow.store.backend=oracle needs quarkus.datasource.jdbc.url "
                    + "(JOBFLOW_DB_URL in the services; jdbc:oracle:thin:@host:port/service)");
        }
        try {
            OracleDatabase.requireOracleUrl(url.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + ": set quarkus.datasource.jdbc.url"
                    + " (JOBFLOW_DB_URL in the services)", e);
        }
        if (user.isEmpty() || user.get().isBlank()) {
            throw new IllegalStateException("jobflow.store.backend=oracle needs quarkus.datasource.username "
                    + "(the schema that owns the jobflow objects, or a user granted their use)");
        }
        if (oracle.aqSessions() < 1) {
            throw new IllegalStateException("jobflow.store.oracle.aq-sessions must be at least 1, was "
                    + oracle.aqSessions());
        }
        if (oracle.watchWait().toSeconds() < 1) {
            throw new IllegalStateException("jobflow.store.oracle.watch-wait must be at least 1s, was "
                    + oracle.watchWait());
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
        LOG.infof("store: Oracle at %s (reactive pool %d, AQ sessions %d)", OracleDatabase.redact(url.get()),
                store.poolSize(), oracle.aqSessions());
        String pw = password.orElse(null);
        pool = OracleDatabase.pool(vertx, OracleDatabase.connectOptions(url.get(), user.get(), pw), store.poolSize());
        OracleDataSource jdbc = OracleDatabase.dataSource(url.get(), user.get(), pw);
        AqSessions aq = new AqSessions(jdbc, oracle.aqSessions());
        jobStore = new OracleJobStore(pool, aq, store.replicaTtl(), (int) oracle.watchWait().toSeconds());
        progressLog = new OracleProgressLog(pool);
        replicaDirectory = new SqlReplicaDirectory(pool, NamedQueries.load("db/queries/oracle/replicas.sql"),
                store.replicaTtl(), store.replicaForgetAfter());
        procedureRunner = new OracleProcedureRunner(jdbc);
    }

    @PreDestroy
    synchronized void close() {
        if (pool == null) {
            return;
        }
        procedureRunner.close();
        try {
            jobStore.close();
        } catch (Exception e) {
            LOG.warnf("closing the Oracle store: %s", e.getMessage());
        }
        pool.closeAndAwait();
        pool = null;
    }
}

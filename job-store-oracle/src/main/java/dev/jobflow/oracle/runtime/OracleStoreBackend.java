package dev.jobflow.oracle.runtime;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.runtime.DataSourceSettings;
import dev.jobflow.core.runtime.LazyStoreBackend;
import dev.jobflow.core.runtime.StoreConfig;
import dev.jobflow.core.sql.SqlCredentials;
import dev.jobflow.core.sql.SqlEventOutbox;
import dev.jobflow.core.sql.SqlReplicaDirectory;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.oracle.OracleDatabase;
import dev.jobflow.oracle.OracleJobStore;
import dev.jobflow.oracle.OracleProcedureRunner;
import dev.jobflow.oracle.OracleProgressLog;
import dev.jobflow.oracle.OracleSchema;
import dev.jobflow.oracle.aq.AqSessions;

import oracle.jdbc.pool.OracleDataSource;

/**
 * {@code jobflow.store.backend=oracle}: the Oracle store, opened on first use (a service that runs
 * on PostgreSQL with this module on its classpath opens no Oracle session).
 */
@ApplicationScoped
public class OracleStoreBackend extends LazyStoreBackend {
    private static final Logger LOG = Logger.getLogger(OracleStoreBackend.class);

    @Inject
    Vertx vertx;
    @Inject
    StoreConfig store;
    @Inject
    OracleStoreConfig oracle;
    @Inject
    DataSourceSettings db;

    @Override
    public StoreConfig.Backend backend() {
        return StoreConfig.Backend.ORACLE;
    }

    @Override
    public void validate() {
        db.requireUrl("oracle", "jdbc:oracle:thin:@host:port/service", OracleDatabase::requireOracleUrl);
        if (db.user().isEmpty() || db.user().get().isBlank()) {
            throw new IllegalStateException("jobflow.store.backend=oracle needs quarkus.datasource.username "
                    + "(the schema that owns the jobflow objects, or a service user granted their use, with jobflow.store.oracle.schema)");
        }
        try {
            OracleSchema.of(oracle.schema(), db.user().get());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + " (set jobflow.store.oracle.schema when the login user is"
                    + " not a plain identifier)", e);
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
    protected String pingStatement() {
        return "select 1 from dual";
    }

    @Override
    protected Opened open() {
        String url = db.url().orElseThrow();
        String user = db.user().orElseThrow();
        String pw = db.password().orElse(null);
        OracleSchema schema = OracleSchema.of(oracle.schema(), user);
        LOG.infof("store: Oracle at %s, schema %s as %s (reactive pool %d, AQ sessions %d)", OracleDatabase.redact(url),
                schema.owner(), user, store.poolSize(), oracle.aqSessions());
        Pool pool = OracleDatabase.pool(vertx, OracleDatabase.connectOptions(url, user, pw), schema, store.poolSize());
        OracleDataSource jdbc = OracleDatabase.dataSource(url, user, pw);
        AqSessions aq = new AqSessions(jdbc, schema.owner(), oracle.aqSessions());
        return new Opened(pool,
                new OracleJobStore(pool, aq, store.replicaTtl(), store.idempotencyKeyTtl(),
                        (int) oracle.watchWait().toSeconds()),
                new OracleProgressLog(pool),
                new SqlReplicaDirectory(pool, NamedQueries.load("db/queries/oracle/replicas.sql"), store.replicaTtl(),
                        store.replicaForgetAfter()),
                new OracleProcedureRunner(jdbc, schema.owner()),
                new SqlCredentials(pool, NamedQueries.load("db/queries/oracle/keys.sql"), OracleJobStore::isDuplicateKey));
    }

    @Override
    public EventOutbox eventOutbox() {
        return new SqlEventOutbox(pool(), NamedQueries.load("db/queries/oracle/jobs.sql"));
    }

    @Override
    protected void close(Opened opened) {
        ((OracleProcedureRunner) opened.procedureRunner()).close();
        try {
            ((OracleJobStore) opened.jobStore()).close();
        } catch (Exception e) {
            LOG.warnf("closing the Oracle store: %s", e.getMessage());
        }
        opened.pool().closeAndAwait();
    }

    @PreDestroy
    void stop() {
        closeOpened();
    }
}

package dev.jobflow.postgres.runtime;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

import dev.jobflow.core.runtime.DataSourceSettings;
import dev.jobflow.core.runtime.LazyStoreBackend;
import dev.jobflow.core.runtime.StoreConfig;
import dev.jobflow.core.sql.SqlCredentials;
import dev.jobflow.core.sql.SqlEventOutbox;
import dev.jobflow.core.sql.SqlReplicaDirectory;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.postgres.PgDatabase;
import dev.jobflow.postgres.PgJobStore;
import dev.jobflow.postgres.PgProcedureRunner;
import dev.jobflow.postgres.PgProgressLog;

/**
 * {@code jobflow.store.backend=postgresql} (the default): the PostgreSQL store, opened on first use
 * (a service that runs on Oracle with this module on its classpath opens no PostgreSQL connection).
 */
@ApplicationScoped
public class PostgresStoreBackend extends LazyStoreBackend {
    private static final Logger LOG = Logger.getLogger(PostgresStoreBackend.class);

    @Inject
    Vertx vertx;
    @Inject
    StoreConfig store;
    @Inject
    DataSourceSettings db;

    @Override
    public StoreConfig.Backend backend() {
        return StoreConfig.Backend.POSTGRESQL;
    }

    @Override
    public void validate() {
        db.requireUrl("postgresql", "jdbc:postgresql://host:port/database",
                url -> PgDatabase.connectOptions(url, null, null));
    }

    @Override
    protected String pingStatement() {
        return "select 1";
    }

    @Override
    protected Opened open() {
        String url = db.url().orElseThrow();
        LOG.infof("store: PostgreSQL at %s", PgDatabase.redact(url));
        PgConnectOptions options = PgDatabase.connectOptions(url, db.user().orElse(null), db.password().orElse(null));
        Pool pool = PgDatabase.pool(vertx, options, store.poolSize());
        return new Opened(pool, new PgJobStore(vertx, pool, options, store.replicaTtl(), store.idempotencyKeyTtl()),
                new PgProgressLog(vertx, pool, options),
                new SqlReplicaDirectory(pool, NamedQueries.load("db/queries/postgres/replicas.sql"), store.replicaTtl(),
                        store.replicaForgetAfter()),
                new PgProcedureRunner(pool),
                new SqlCredentials(pool, NamedQueries.load("db/queries/postgres/keys.sql"), PgProgressLog::isDuplicateKey));
    }

    @Override
    public EventOutbox eventOutbox() {
        return new SqlEventOutbox(pool(), NamedQueries.load("db/queries/postgres/jobs.sql"));
    }

    @Override
    protected void close(Opened opened) {
        opened.pool().closeAndAwait();
    }

    @PreDestroy
    void stop() {
        closeOpened();
    }
}

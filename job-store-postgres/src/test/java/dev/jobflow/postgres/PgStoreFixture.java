package dev.jobflow.postgres;

import java.time.Duration;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

import dev.jobflow.core.sql.SqlCredentials;
import dev.jobflow.core.sql.SqlReplicaDirectory;
import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.core.store.ReplicaDirectory;
import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.TestDatabase;

/**
 * The PostgreSQL adapters on a fresh, migrated database, as a service would hold them; closed after
 * each test. The twin of job-store-oracle's OracleStoreFixture.
 */
final class PgStoreFixture implements StoreFixture {
    final TestDatabase db;
    final Vertx vertx;
    final Pool pool;
    final PgJobStore store;
    final PgProgressLog log;
    final Credentials credentials;

    PgStoreFixture(String purpose) {
        db = TestDatabase.create(purpose);
        vertx = Vertx.vertx();
        PgConnectOptions options = PgDatabase.connectOptions(db.jdbcUrl(), db.user(), db.password());
        pool = PgDatabase.pool(vertx, options, 8);
        store = new PgJobStore(vertx, pool, options, Duration.ofSeconds(30));
        log = new PgProgressLog(pool);
        credentials = new SqlCredentials(pool, NamedQueries.load("db/queries/postgres/keys.sql"),
                PgProgressLog::isDuplicateKey);
    }

    @Override
    public PgJobStore store() {
        return store;
    }

    @Override
    public PgProgressLog progressLog() {
        return log;
    }

    @Override
    public Credentials credentials() {
        return credentials;
    }

    @Override
    public ReplicaDirectory replicaDirectory(Duration replicaTtl, Duration forgetAfter) {
        return new SqlReplicaDirectory(pool, NamedQueries.load("db/queries/postgres/replicas.sql"), replicaTtl,
                forgetAfter);
    }

    @Override
    public ProcedureRunner procedureRunner() {
        return new PgProcedureRunner(pool);
    }

    @Override
    public void update(String sql, Object... args) {
        db.update(sql, args);
    }

    @Override
    public void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        db.close();
    }
}

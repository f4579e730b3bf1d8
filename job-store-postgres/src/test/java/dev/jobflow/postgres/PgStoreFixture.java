package dev.jobflow.postgres;

import java.time.Duration;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

import dev.jobflow.core.sql.SqlCredentials;
import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.testing.TestDatabase;

/**
 * The PostgreSQL adapters on a fresh, migrated database, as a service would hold them; closed after
 * each test. The twin of job-store-oracle's OracleStoreFixture.
 */
final class PgStoreFixture implements AutoCloseable {
    final TestDatabase db;
    final Vertx vertx;
    final Pool pool;
    final PgJobStore store;
    final PgProgressLog log;
    final Credentials credentials;

    PgStoreFixture(String purpose, int poolSize) {
        db = TestDatabase.create(purpose);
        vertx = Vertx.vertx();
        PgConnectOptions options = PgDatabase.connectOptions(db.jdbcUrl(), db.user(), db.password());
        pool = PgDatabase.pool(vertx, options, poolSize);
        store = new PgJobStore(vertx, pool, options, Duration.ofSeconds(30));
        log = new PgProgressLog(pool);
        credentials = new SqlCredentials(pool, NamedQueries.load("db/queries/postgres/keys.sql"),
                PgProgressLog::isDuplicateKey);
    }

    @Override
    public void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        db.close();
    }
}

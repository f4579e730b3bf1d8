package dev.jobflow.postgres;

import java.time.Duration;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

import dev.jobflow.core.sql.SqlCredentials;
import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.TestDatabase;

/**
 * The PostgreSQL adapters on a fresh, migrated database, as a service would hold them; closed after
 * each test. The twin of job-store-oracle's OracleStoreFixture.
 */
record PgStoreFixture(TestDatabase db, Vertx vertx, Pool pool, PgJobStore store, PgProgressLog progressLog,
        Credentials credentials) implements StoreFixture {

    /** Creates and migrates a database named after {@code purpose} and opens the adapters on it. */
    static PgStoreFixture open(String purpose) {
        TestDatabase db = TestDatabase.create(purpose);
        Vertx vertx = Vertx.vertx();
        PgConnectOptions options = PgDatabase.connectOptions(db.jdbcUrl(), db.user(), db.password());
        Pool pool = PgDatabase.pool(vertx, options, 8);
        return new PgStoreFixture(db, vertx, pool,
                new PgJobStore(vertx, pool, options, Duration.ofSeconds(30), Duration.ofHours(24)),
                new PgProgressLog(vertx, pool, options),
                new SqlCredentials(pool, NamedQueries.load("db/queries/postgres/keys.sql"),
                        PgProgressLog::isDuplicateKey));
    }

    @Override
    public String dialect() {
        return "postgres";
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
    public int sessionsWaitingForALock() {
        return pool.query("select count(*) as n from pg_stat_activity where datname = current_database()"
                + " and wait_event_type = 'Lock'").execute().await().atMost(Duration.ofSeconds(15)).iterator().next()
                .getLong("n").intValue();
    }

    @Override
    public void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        db.close();
    }
}

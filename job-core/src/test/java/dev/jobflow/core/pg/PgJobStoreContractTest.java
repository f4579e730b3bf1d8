package dev.jobflow.core.pg;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

import dev.jobflow.core.contract.JobStoreContract;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.testing.TestDatabase;

/** The contract suite on a real PostgreSQL server, a fresh database per test. */
class PgJobStoreContractTest extends JobStoreContract {
    private TestDatabase db;
    private Vertx vertx;
    private Pool pool;
    private PgJobStore store;
    private PgProgressLog log;

    @BeforeEach
    void start() {
        db = TestDatabase.create("contract");
        vertx = Vertx.vertx();
        PgConnectOptions options = PgDatabase.connectOptions(db.jdbcUrl(), db.user(), db.password());
        pool = PgDatabase.pool(vertx, options, 8);
        store = new PgJobStore(vertx, pool, options, Duration.ofSeconds(30));
        log = new PgProgressLog(pool);
    }

    @AfterEach
    void stop() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        db.close();
    }

    @Override
    protected JobStore store() {
        return store;
    }

    @Override
    protected ProgressLog progressLog() {
        return log;
    }

    @Override
    protected void addJobApiKey(String name, String sha256) {
        db.update("insert into job_api_keys (name, key_sha256) values (?, ?)", name, sha256);
    }

    @Override
    protected void revokeJobApiKey(String name) {
        db.update("update job_api_keys set revoked_at = now() where name = ?", name);
    }
}

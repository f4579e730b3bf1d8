package dev.jobflow.core.pg;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

import dev.jobflow.core.contract.ReplicaDirectoryContract;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ReplicaDirectory;
import dev.jobflow.core.testing.TestDatabase;

/** The replica directory contract on a real PostgreSQL server, a fresh database per test. */
class PgReplicaDirectoryContractTest extends ReplicaDirectoryContract {
    private TestDatabase db;
    private Vertx vertx;
    private Pool pool;
    private PgJobStore store;

    @BeforeEach
    void start() {
        db = TestDatabase.create("replicas");
        vertx = Vertx.vertx();
        PgConnectOptions options = PgDatabase.connectOptions(db.jdbcUrl(), db.user(), db.password());
        pool = PgDatabase.pool(vertx, options, 4);
        store = new PgJobStore(vertx, pool, options, Duration.ofSeconds(30));
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
    protected ReplicaDirectory directory(Duration replicaTtl) {
        return new PgReplicaDirectory(pool, replicaTtl);
    }
}

package dev.jobflow.core.pg;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

import dev.jobflow.core.contract.ProcedureRunnerContract;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.testing.TestDatabase;

/** Stored-procedure jobs on a real PostgreSQL server, a fresh database per test. */
class PgProcedureRunnerContractTest extends ProcedureRunnerContract {
    private TestDatabase db;
    private Vertx vertx;
    private Pool pool;
    private PgJobStore store;
    private PgProgressLog log;
    private PgProcedureRunner runner;

    @BeforeEach
    void start() {
        db = TestDatabase.create("procedures");
        vertx = Vertx.vertx();
        PgConnectOptions options = PgDatabase.connectOptions(db.jdbcUrl(), db.user(), db.password());
        pool = PgDatabase.pool(vertx, options, 4);
        store = new PgJobStore(vertx, pool, options, Duration.ofSeconds(30));
        log = new PgProgressLog(pool);
        runner = new PgProcedureRunner(pool);
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
    protected ProcedureRunner runner() {
        return runner;
    }
}

package dev.jobflow.postgres;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.testing.contract.ProcedureRunnerContract;

/** Stored-procedure jobs on a real PostgreSQL server, a fresh database per test. */
class PgProcedureRunnerContractTest extends ProcedureRunnerContract {
    private PgStoreFixture pg;
    private PgProcedureRunner runner;

    @BeforeEach
    void start() {
        pg = new PgStoreFixture("procedures", 4);
        runner = new PgProcedureRunner(pg.pool);
    }

    @AfterEach
    void stop() {
        pg.close();
    }

    @Override
    protected JobStore store() {
        return pg.store;
    }

    @Override
    protected ProgressLog progressLog() {
        return pg.log;
    }

    @Override
    protected ProcedureRunner runner() {
        return runner;
    }
}

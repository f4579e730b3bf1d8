package dev.jobflow.oracle.contract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.oracle.OracleDatabase;
import dev.jobflow.oracle.OracleProcedureRunner;
import dev.jobflow.oracle.testing.OracleStoreFixture;
import dev.jobflow.testing.contract.ProcedureRunnerContract;

/** Stored-procedure jobs on Oracle Free (Testcontainers); skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class OracleProcedureRunnerContractTest extends ProcedureRunnerContract {
    private OracleStoreFixture oracle;
    private OracleProcedureRunner runner;

    @BeforeEach
    void start() {
        oracle = new OracleStoreFixture("procedures");
        runner = new OracleProcedureRunner(
                OracleDatabase.dataSource(oracle.schema.jdbcUrl(), oracle.schema.user(), oracle.schema.password()));
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
        oracle.close();
    }

    @Override
    protected JobStore store() {
        return oracle.store;
    }

    @Override
    protected ProgressLog progressLog() {
        return oracle.log;
    }

    @Override
    protected ProcedureRunner runner() {
        return runner;
    }
}

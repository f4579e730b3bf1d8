package dev.jobflow.postgres;

import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.ProcedureRunnerContract;

/** Stored-procedure jobs on a real PostgreSQL server, a fresh database per test. */
class PgProcedureRunnerContractTest extends ProcedureRunnerContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }
}

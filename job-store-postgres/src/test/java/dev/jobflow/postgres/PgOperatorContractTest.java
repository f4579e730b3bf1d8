package dev.jobflow.postgres;

import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.OperatorContract;

/** The operator actions contract on a real PostgreSQL server, a fresh database per test. */
class PgOperatorContractTest extends OperatorContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }
}

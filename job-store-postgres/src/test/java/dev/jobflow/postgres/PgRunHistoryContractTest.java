package dev.jobflow.postgres;

import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.RunHistoryContract;

/** The run history contract on a real PostgreSQL server, a fresh database per test. */
class PgRunHistoryContractTest extends RunHistoryContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }
}

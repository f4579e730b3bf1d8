package dev.jobflow.postgres;

import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.SearchContract;

/** The search contract on a real PostgreSQL server, a fresh database per test. */
class PgSearchContractTest extends SearchContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }
}

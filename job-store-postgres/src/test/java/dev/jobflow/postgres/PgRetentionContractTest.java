package dev.jobflow.postgres;

import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.RetentionContract;

/** The retention contract on a real PostgreSQL server, a fresh database per test. */
class PgRetentionContractTest extends RetentionContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }
}

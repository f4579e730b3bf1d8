package dev.jobflow.postgres;

import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.JobStoreContract;

/** The contract suite on a real PostgreSQL server, a fresh database per test. */
class PgJobStoreContractTest extends JobStoreContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }
}

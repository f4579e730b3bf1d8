package dev.jobflow.postgres;

import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.QueueContract;

/** The queue contract on a real PostgreSQL server, a fresh database per test. */
class PgQueueContractTest extends QueueContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }
}

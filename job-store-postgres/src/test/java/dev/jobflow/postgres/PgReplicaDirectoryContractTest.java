package dev.jobflow.postgres;

import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.ReplicaDirectoryContract;

/** The replica directory contract on a real PostgreSQL server, a fresh database per test. */
class PgReplicaDirectoryContractTest extends ReplicaDirectoryContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }
}

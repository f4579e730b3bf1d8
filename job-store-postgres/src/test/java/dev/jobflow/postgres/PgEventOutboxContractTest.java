package dev.jobflow.postgres;

import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.EventOutboxContract;

/** The event outbox contract on a real PostgreSQL server, a fresh database per test. */
class PgEventOutboxContractTest extends EventOutboxContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }
}

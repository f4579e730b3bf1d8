package dev.jobflow.postgres;

import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.ScheduleContract;

/** The schedule contract on a real PostgreSQL server, a fresh database per test. */
class PgScheduleContractTest extends ScheduleContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }
}

package dev.jobflow.oracle.contract;

import org.testcontainers.junit.jupiter.Testcontainers;

import dev.jobflow.oracle.testing.OracleStoreFixture;
import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.EventOutboxContract;

/** The event outbox contract on Oracle Free (Testcontainers); skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class OracleEventOutboxContractTest extends EventOutboxContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return new OracleStoreFixture(purpose);
    }
}

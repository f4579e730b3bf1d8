package dev.jobflow.oracle.contract;

import org.testcontainers.junit.jupiter.Testcontainers;

import dev.jobflow.oracle.testing.OracleStoreFixture;
import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.SearchContract;

/** The search contract on Oracle Free (Testcontainers); skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class OracleSearchContractTest extends SearchContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return new OracleStoreFixture(purpose);
    }
}

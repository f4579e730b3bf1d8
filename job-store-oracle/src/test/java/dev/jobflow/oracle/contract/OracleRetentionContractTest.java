package dev.jobflow.oracle.contract;

import org.testcontainers.junit.jupiter.Testcontainers;

import dev.jobflow.oracle.testing.OracleStoreFixture;
import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.RetentionContract;

/** The retention contract on Oracle Free (Testcontainers); skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class OracleRetentionContractTest extends RetentionContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return new OracleStoreFixture(purpose);
    }
}

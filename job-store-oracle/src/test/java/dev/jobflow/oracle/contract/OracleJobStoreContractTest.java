package dev.jobflow.oracle.contract;

import org.testcontainers.junit.jupiter.Testcontainers;

import dev.jobflow.oracle.testing.OracleStoreFixture;
import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.JobStoreContract;

/**
 * The shared contract suite on Oracle Free (Testcontainers), a fresh schema per test. Without Docker the whole class is skipped
 * ("disabledWithoutDocker is true and Docker is not available").
 */
@Testcontainers(disabledWithoutDocker = true)
class OracleJobStoreContractTest extends JobStoreContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return new OracleStoreFixture(purpose);
    }

    @Override
    protected void insertJobWithParams(String name, String params) {
        fixture().update("insert into jobs (name, owner, type, params) values (?, 'alice', 'demo', ?)", name, params);
    }

    @Override
    protected void insertJobWithUnreadableParams(String name) {
        fixture().update("alter table jobs disable constraint jobs_params_object_ck");
        fixture().update("insert into jobs (name, owner, type, params) values (?, 'alice', 'demo', '{a: 1}')", name);
    }
}

package dev.jobflow.postgres;

import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.JobStoreContract;

/** The contract suite on a real PostgreSQL server, a fresh database per test. */
class PgJobStoreContractTest extends JobStoreContract {

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }

    @Override
    protected void insertJobWithParams(String name, String params) {
        fixture().update("insert into jobs (name, owner, type, params) values (?, 'alice', 'demo', ?::jsonb)", name, params);
    }

    @Override
    protected void insertJobWithUnreadableParams(String name) {
        fixture().update("alter table jobs drop constraint jobs_params_object_ck");
        fixture().update("insert into jobs (name, owner, type, params) values (?, 'alice', 'demo', '1'::jsonb)", name);
    }
}

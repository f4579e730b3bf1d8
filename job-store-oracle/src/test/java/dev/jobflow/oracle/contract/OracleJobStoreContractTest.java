package dev.jobflow.oracle.contract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.oracle.testing.OracleStoreFixture;
import dev.jobflow.testing.contract.JobStoreContract;

/**
 * The shared contract suite on Oracle Free (Testcontainers), a fresh schema per test. Without
 * Docker the whole class is skipped ("disabledWithoutDocker is true and Docker is not available").
 */
@Testcontainers(disabledWithoutDocker = true)
class OracleJobStoreContractTest extends JobStoreContract {
    private OracleStoreFixture oracle;

    @BeforeEach
    void start() {
        oracle = new OracleStoreFixture("contract");
    }

    @AfterEach
    void stop() throws Exception {
        oracle.close();
    }

    @Override
    protected JobStore store() {
        return oracle.store;
    }

    @Override
    protected ProgressLog progressLog() {
        return oracle.log;
    }

    @Override
    protected Credentials credentials() {
        return oracle.credentials;
    }

    @Override
    protected void addProducerKey(String name, String sha256) {
        oracle.schema.update("insert into progress_api_keys (name, key_sha256) values (?, ?)", name, sha256);
    }

    @Override
    protected void revokeProducerKey(String name) {
        oracle.schema.update("update progress_api_keys set revoked_at = systimestamp where name = ?", name);
    }

    @Override
    protected void addJobApiKey(String name, String sha256) {
        oracle.schema.update("insert into job_api_keys (name, key_sha256) values (?, ?)", name, sha256);
    }

    @Override
    protected void revokeJobApiKey(String name) {
        oracle.schema.update("update job_api_keys set revoked_at = systimestamp where name = ?", name);
    }

    @Override
    protected void insertJobWithParams(String name, String params) {
        oracle.schema.update("insert into jobs (name, owner, type, params) values (?, 'alice', 'demo', ?)", name, params);
    }

    @Override
    protected void insertJobWithUnreadableParams(String name) {
        oracle.schema.update("alter table jobs disable constraint jobs_params_object_ck");
        oracle.schema.update("insert into jobs (name, owner, type, params) values (?, 'alice', 'demo', '{a: 1}')", name);
    }
}

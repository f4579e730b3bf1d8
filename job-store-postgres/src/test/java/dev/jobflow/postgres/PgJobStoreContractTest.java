package dev.jobflow.postgres;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.testing.contract.JobStoreContract;

/** The contract suite on a real PostgreSQL server, a fresh database per test. */
class PgJobStoreContractTest extends JobStoreContract {
    private PgStoreFixture pg;

    @BeforeEach
    void start() {
        pg = new PgStoreFixture("contract", 8);
    }

    @AfterEach
    void stop() {
        pg.close();
    }

    @Override
    protected JobStore store() {
        return pg.store;
    }

    @Override
    protected ProgressLog progressLog() {
        return pg.log;
    }

    @Override
    protected Credentials credentials() {
        return pg.credentials;
    }

    @Override
    protected void addProducerKey(String name, String sha256) {
        pg.db.update("insert into progress_api_keys (name, key_sha256) values (?, ?)", name, sha256);
    }

    @Override
    protected void revokeProducerKey(String name) {
        pg.db.update("update progress_api_keys set revoked_at = now() where name = ?", name);
    }

    @Override
    protected void addJobApiKey(String name, String sha256) {
        pg.db.update("insert into job_api_keys (name, key_sha256) values (?, ?)", name, sha256);
    }

    @Override
    protected void revokeJobApiKey(String name) {
        pg.db.update("update job_api_keys set revoked_at = now() where name = ?", name);
    }

    @Override
    protected void insertJobWithParams(String name, String params) {
        pg.db.update("insert into jobs (name, owner, type, params) values (?, 'alice', 'demo', ?::jsonb)", name, params);
    }

    @Override
    protected void insertJobWithUnreadableParams(String name) {
        pg.db.update("alter table jobs drop constraint jobs_params_object_ck");
        pg.db.update("insert into jobs (name, owner, type, params) values (?, 'alice', 'demo', '1'::jsonb)", name);
    }
}

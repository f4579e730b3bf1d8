package dev.jobflow.oracle.contract;

import java.sql.Connection;
import java.sql.PreparedStatement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.jobflow.core.contract.JobStoreContract;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.oracle.testing.OracleStoreFixture;

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
    protected void addJobApiKey(String name, String sha256) throws Exception {
        try (Connection c = oracle.schema.connect();
                PreparedStatement s = c.prepareStatement("insert into job_api_keys (name, key_sha256) values (?, ?)")) {
            s.setString(1, name);
            s.setString(2, sha256);
            s.executeUpdate();
        }
    }

    @Override
    protected void revokeJobApiKey(String name) throws Exception {
        try (Connection c = oracle.schema.connect();
                PreparedStatement s = c.prepareStatement(
                        "update job_api_keys set revoked_at = systimestamp where name = ?")) {
            s.setString(1, name);
            s.executeUpdate();
        }
    }
}

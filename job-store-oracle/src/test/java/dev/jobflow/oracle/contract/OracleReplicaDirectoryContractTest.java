package dev.jobflow.oracle.contract;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.jobflow.core.sql.SqlReplicaDirectory;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ReplicaDirectory;
import dev.jobflow.oracle.testing.OracleStoreFixture;
import dev.jobflow.testing.contract.ReplicaDirectoryContract;

/** The replica directory contract on Oracle Free (Testcontainers); skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class OracleReplicaDirectoryContractTest extends ReplicaDirectoryContract {
    private OracleStoreFixture oracle;

    @BeforeEach
    void start() {
        oracle = new OracleStoreFixture("replicas");
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
    protected ReplicaDirectory directory(Duration replicaTtl, Duration forgetAfter) {
        return new SqlReplicaDirectory(oracle.pool(), NamedQueries.load("db/queries/oracle/replicas.sql"), replicaTtl,
                forgetAfter);
    }
}

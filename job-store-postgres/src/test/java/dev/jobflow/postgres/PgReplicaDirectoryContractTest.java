package dev.jobflow.postgres;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.jobflow.core.sql.SqlReplicaDirectory;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ReplicaDirectory;
import dev.jobflow.testing.contract.ReplicaDirectoryContract;

/** The replica directory contract on a real PostgreSQL server, a fresh database per test. */
class PgReplicaDirectoryContractTest extends ReplicaDirectoryContract {
    private PgStoreFixture pg;

    @BeforeEach
    void start() {
        pg = new PgStoreFixture("replicas", 4);
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
    protected ReplicaDirectory directory(Duration replicaTtl, Duration forgetAfter) {
        return new SqlReplicaDirectory(pg.pool, NamedQueries.load("db/queries/postgres/replicas.sql"), replicaTtl,
                forgetAfter);
    }
}

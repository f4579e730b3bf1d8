package dev.jobflow.oracle.contract;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.junit.jupiter.Testcontainers;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.contract.JobStoreContract;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.oracle.OracleDatabase;
import dev.jobflow.oracle.OracleJobStore;
import dev.jobflow.oracle.OracleProgressLog;
import dev.jobflow.oracle.aq.AqSessions;
import dev.jobflow.oracle.testing.OracleTestSchema;

/**
 * The shared contract suite on Oracle Free (Testcontainers), a fresh schema per test. Without
 * Docker the whole class is skipped ("disabledWithoutDocker is true and Docker is not available").
 */
@Testcontainers(disabledWithoutDocker = true)
class OracleJobStoreContractTest extends JobStoreContract {
    private OracleTestSchema schema;
    private Vertx vertx;
    private Pool pool;
    private OracleJobStore store;
    private OracleProgressLog log;

    @BeforeEach
    void start() {
        schema = OracleTestSchema.create("contract");
        vertx = Vertx.vertx();
        pool = OracleDatabase.pool(vertx,
                OracleDatabase.connectOptions(schema.jdbcUrl(), schema.user(), schema.password()), 8);
        AqSessions aq = new AqSessions(OracleDatabase.dataSource(schema.jdbcUrl(), schema.user(), schema.password()), 2);
        store = new OracleJobStore(pool, aq, Duration.ofSeconds(30), 1);
        log = new OracleProgressLog(pool);
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        pool.closeAndAwait();
        vertx.closeAndAwait();
        schema.close();
    }

    @Override
    protected JobStore store() {
        return store;
    }

    @Override
    protected ProgressLog progressLog() {
        return log;
    }
}

package dev.jobflow.oracle.testing;

import java.time.Duration;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.sql.SqlCredentials;
import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.oracle.OracleDatabase;
import dev.jobflow.oracle.OracleJobStore;
import dev.jobflow.oracle.OracleProcedureRunner;
import dev.jobflow.oracle.OracleProgressLog;
import dev.jobflow.oracle.OracleSchema;
import dev.jobflow.oracle.aq.AqSessions;
import dev.jobflow.testing.StoreFixture;

import oracle.jdbc.pool.OracleDataSource;

/**
 * The Oracle adapters on a fresh schema, as a replica would hold them: logged in as the schema's
 * service user (not the owner) with the owner as {@code jobflow.store.oracle.schema}, so every
 * Oracle contract and end-to-end test runs as a DBA-approved service user. Closed after each test.
 */
public final class OracleStoreFixture implements StoreFixture {
    public final OracleTestSchema schema;
    public final OracleJobStore store;
    public final OracleProgressLog log;
    public final Credentials credentials;
    private final OracleSchema owner;
    private final Vertx vertx;
    private final Pool pool;
    private OracleProcedureRunner runner;

    public OracleStoreFixture(String purpose) {
        schema = OracleTestSchema.create(purpose);
        owner = new OracleSchema(schema.user());
        vertx = Vertx.vertx();
        pool = OracleDatabase.pool(vertx,
                OracleDatabase.connectOptions(schema.jdbcUrl(), schema.serviceUser(), schema.servicePassword()), owner, 8);
        AqSessions aq = new AqSessions(serviceDataSource(), owner.owner(), 2);
        store = new OracleJobStore(pool, aq, Duration.ofSeconds(30), Duration.ofHours(24), 1);
        log = new OracleProgressLog(pool);
        credentials = new SqlCredentials(pool, NamedQueries.load("db/queries/oracle/keys.sql"),
                OracleJobStore::isDuplicateKey);
    }

    @Override
    public Pool pool() {
        return pool;
    }

    @Override
    public OracleJobStore store() {
        return store;
    }

    @Override
    public OracleProgressLog progressLog() {
        return log;
    }

    @Override
    public Credentials credentials() {
        return credentials;
    }

    @Override
    public String dialect() {
        return "oracle";
    }

    @Override
    public synchronized ProcedureRunner procedureRunner() {
        if (runner == null) {
            runner = new OracleProcedureRunner(serviceDataSource(), owner.owner());
        }
        return runner;
    }

    @Override
    public void update(String sql, Object... args) {
        schema.update(sql, args);
    }

    @Override
    public int sessionsWaitingForALock() {
        return schema.sessionsWaitingForALock();
    }

    private OracleDataSource serviceDataSource() {
        return OracleDatabase.dataSource(schema.jdbcUrl(), schema.serviceUser(), schema.servicePassword());
    }

    @Override
    public void close() throws Exception {
        if (runner != null) {
            runner.close();
        }
        store.close();
        pool.closeAndAwait();
        vertx.closeAndAwait();
        schema.close();
    }
}

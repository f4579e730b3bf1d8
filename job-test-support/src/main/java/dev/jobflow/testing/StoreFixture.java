package dev.jobflow.testing;

import java.time.Duration;

import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.sql.SqlEventOutbox;
import dev.jobflow.core.sql.SqlReplicaDirectory;
import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.store.ReplicaDirectory;

/**
 * One backend's ports on a fresh, migrated database (or schema), as a replica holds them: what the
 * contract suites run against. Each backend's test code has one implementation (PgStoreFixture,
 * OracleStoreFixture); closing it closes the ports and drops the database.
 */
public interface StoreFixture extends AutoCloseable {

    /** The store (both the catalogue and the queue), on a database holding no jobs. */
    JobStore store();

    /** The progress log on the same database. */
    ProgressLog progressLog();

    /** The keys and the shared secret on the same database. */
    Credentials credentials();

    /** The reactive pool the ports share. */
    Pool pool();

    /** The folder of the backend's named statements: {@code db/queries/<dialect>/*.sql}. */
    String dialect();

    /**
     * A replica directory on the same database that reports replicas not seen for
     * {@code replicaTtl} as not alive and leaves out those not seen for {@code forgetAfter}.
     */
    default ReplicaDirectory replicaDirectory(Duration replicaTtl, Duration forgetAfter) {
        return new SqlReplicaDirectory(pool(), NamedQueries.load("db/queries/" + dialect() + "/replicas.sql"), replicaTtl,
                forgetAfter);
    }

    /** The outbox of job events and the queues' webhooks on the same database. */
    default EventOutbox eventOutbox() {
        return new SqlEventOutbox(pool(), NamedQueries.load("db/queries/" + dialect() + "/jobs.sql"));
    }

    /** The runner of {@code sql:<procedure>} jobs on the same database; closed with the fixture. */
    ProcedureRunner procedureRunner();

    /**
     * Runs one statement over JDBC, as an operator would with SQL (set-up the ports do not offer).
     * Use only SQL both dialects accept (e.g. {@code current_timestamp}, not {@code now()}).
     */
    void update(String sql, Object... args);

    /**
     * How many sessions on this database wait for a row lock right now (PostgreSQL: pg_stat_activity,
     * Oracle: v$session as the DBA): a test's signal that a statement reached a lock it waits for.
     */
    int sessionsWaitingForALock();
}

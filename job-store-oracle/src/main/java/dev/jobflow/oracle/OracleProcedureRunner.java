package dev.jobflow.oracle;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import dev.jobflow.core.model.Lease;
import dev.jobflow.core.store.JobParams;
import dev.jobflow.core.store.ProcedureRunner;

import oracle.jdbc.pool.OracleDataSource;

/**
 * {@code begin job_lease.set_token(:token); <procedure>(:job_id, :params); commit; end;} on a JDBC
 * session of its own (sql/oracle/V004_2): the session's package state carries the claim's fencing
 * token for {@code job_progress}; the procedure may commit between steps, and the block commits
 * what it left open when it returns. The call runs on a virtual thread of its own so that an
 * interrupt of the handler can cancel it ({@code Statement.cancel}: ORA-01013 in the session, its
 * open work rolled back). The PostgreSQL twin is PgProcedureRunner.
 */
public final class OracleProcedureRunner implements ProcedureRunner, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OracleProcedureRunner.class);
    private static final long CANCEL_WAIT_SECONDS = 10;

    private final OracleDataSource dataSource;
    private final String owner;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    /** @param owner the schema that owns the Jobflow objects; the session works in it (procedure names resolve there) */
    public OracleProcedureRunner(OracleDataSource dataSource, String owner) {
        this.dataSource = dataSource;
        this.owner = owner;
    }

    @Override
    public void call(String procedure, Lease lease, Map<String, Object> params) throws Exception {
        try (Connection connection = dataSource.getConnection();
                CallableStatement call = prepare(connection, procedure)) {
            call.setLong(1, lease.token());
            call.setLong(2, lease.jobId());
            call.setString(3, JobParams.write(params));
            Callable<Boolean> execute = call::execute;
            Future<Boolean> running = calls.submit(execute);
            try {
                running.get();
            } catch (InterruptedException e) {
                cancel(procedure, connection, call, running);
                throw e;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw e;
            } finally {
                if (!connection.isClosed()) {
                    connection.rollback(); // nothing after the block's commit; undoes a failed call's open work
                }
            }
        }
    }

    private CallableStatement prepare(Connection connection, String procedure) throws SQLException {
        connection.setAutoCommit(false);
        connection.setSchema(owner);
        return connection.prepareCall("begin job_lease.set_token(?); " + procedure + "(?, ?); commit; end;");
    }

    /** Cancels the running call; if it does not end within the wait, drops the session. */
    private static void cancel(String procedure, Connection connection, CallableStatement call,
            Future<Boolean> running) {
        try {
            call.cancel();
            running.get(CANCEL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException expected) {
            LOG.debugf("cancelled procedure %s: %s", procedure, expected.getCause().getMessage());
        } catch (SQLException | TimeoutException | InterruptedException e) {
            LOG.warnf("procedure %s did not stop on cancel (%s): closing its session", procedure, e.getMessage());
            try {
                connection.abort(Runnable::run); // the server rolls the session's open work back
            } catch (SQLException abort) {
                LOG.warnf("could not close the session of procedure %s: %s", procedure, abort.getMessage());
            }
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}

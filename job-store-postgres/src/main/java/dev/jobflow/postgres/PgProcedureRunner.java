package dev.jobflow.postgres;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.model.Lease;
import dev.jobflow.core.store.ProcedureRunner;

/**
 * {@code CALL <procedure>(job_id, params::jsonb)} on a connection of its own, outside an explicit
 * transaction block, so the procedure may COMMIT between steps. The session carries the claim's
 * fencing token ({@code jobflow.lease_token}, read by {@code job_progress}); an interrupt cancels
 * the running statement ({@code pg_cancel_backend}) and ends the session if the procedure ignores
 * that ({@code pg_terminate_backend}). If this process dies, the server notices the
 * lost client within a second ({@code client_connection_check_interval}).
 */
public final class PgProcedureRunner implements ProcedureRunner {
    private static final Logger LOG = Logger.getLogger(PgProcedureRunner.class);

    /** How long a cancelled call may take to end before its session is ended. */
    static final Duration CANCEL_WAIT = Duration.ofSeconds(3);

    private final Pool pool;

    public PgProcedureRunner(Pool pool) {
        this.pool = pool;
    }

    @Override
    public void call(String procedure, Lease lease, Map<String, Object> params) throws Exception {
        SqlConnection connection = pool.getConnection().await().atMost(Duration.ofSeconds(30));
        try {
            int pid = connection.preparedQuery("select pg_backend_pid() as pid,"
                    + " set_config('jobflow.lease_token', $1, false),"
                    + " set_config('client_connection_check_interval', '1000', false)")
                    .execute(Tuple.of(String.valueOf(lease.token())))
                    .await().indefinitely().iterator().next().getInteger("pid");
            CompletableFuture<?> running = connection.preparedQuery("call " + procedure + "($1, $2::jsonb)")
                    .execute(Tuple.of(lease.jobId(), new JsonObject(params)))
                    .subscribeAsCompletionStage();
            try {
                running.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            } catch (InterruptedException interrupted) {
                stop(procedure, pid, running);
                throw interrupted;
            }
        } finally {
            connection.close().subscribe().with(ok -> {
            }, failure -> LOG.debugf("closing procedure connection: %s", failure.getMessage()));
        }
    }

    /**
     * Cancels the running call; a procedure that ignores the cancel (catches query_canceled) has
     * its session ended after {@link #CANCEL_WAIT}: it must not run on unseen, holding its locks.
     */
    private void stop(String procedure, int pid, CompletableFuture<?> running) {
        signal("pg_cancel_backend", procedure, pid);
        boolean interrupted = false;
        try {
            running.get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (ExecutionException e) {
            LOG.debugf("procedure %s ended on its cancel: %s", procedure, e.getCause().getMessage());
            return;
        } catch (TimeoutException e) {
            LOG.warnf("procedure %s (backend %d) ignored the cancel for %d ms: ending its session", procedure, pid,
                    CANCEL_WAIT.toMillis());
        } catch (InterruptedException e) {
            interrupted = true; // asked again (the attempt was given up): end the session now
            LOG.warnf("procedure %s (backend %d) still runs after its cancel: ending its session", procedure, pid);
        }
        signal("pg_terminate_backend", procedure, pid);
        // The connection goes back to the pool only once its call is over (the session's end fails it).
        try {
            running.get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("procedure %s: %s", procedure, e.getMessage());
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void signal(String function, String procedure, int pid) {
        try {
            pool.preparedQuery("select " + function + "($1)").execute(Tuple.of(pid)).await().atMost(Duration.ofSeconds(10));
            LOG.debugf("%s: procedure %s (backend %d)", function, procedure, pid);
        } catch (RuntimeException e) {
            LOG.warnf("%s failed for procedure %s (backend %d): %s", function, procedure, pid, e.getMessage());
        }
    }
}

package dev.jobflow.postgres;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;

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
 * the running statement ({@code pg_cancel_backend}). If this process dies, the server notices the
 * lost client within a second ({@code client_connection_check_interval}).
 */
public final class PgProcedureRunner implements ProcedureRunner {
    private static final Logger LOG = Logger.getLogger(PgProcedureRunner.class);

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
            try {
                connection.preparedQuery("call " + procedure + "($1, $2::jsonb)")
                        .execute(Tuple.of(lease.jobId(), new JsonObject(params)))
                        .await().indefinitely();
            } catch (CompletionException e) {
                if (e.getCause() instanceof InterruptedException interrupted) {
                    cancelBackend(procedure, pid);
                    throw interrupted;
                }
                throw e;
            }
        } finally {
            connection.close().subscribe().with(ok -> {
            }, failure -> LOG.debugf("closing procedure connection: %s", failure.getMessage()));
        }
    }

    private void cancelBackend(String procedure, int pid) {
        pool.preparedQuery("select pg_cancel_backend($1)").execute(Tuple.of(pid))
                .subscribe().with(ok -> LOG.debugf("cancelled procedure %s (backend %d)", procedure, pid),
                        failure -> LOG.warnf("could not cancel procedure %s (backend %d): %s", procedure, pid,
                                failure.getMessage()));
    }
}

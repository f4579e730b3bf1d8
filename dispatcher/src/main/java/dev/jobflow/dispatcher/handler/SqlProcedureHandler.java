package dev.jobflow.dispatcher.handler;

import java.time.Duration;
import java.util.concurrent.CompletionException;

import org.jboss.logging.Logger;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs job type {@code sql:<procedure>}: {@code CALL <procedure>(job_id, params::jsonb)} on a
 * connection of its own, outside an explicit transaction block, so the procedure may COMMIT
 * between steps and its progress (reported with {@code job_progress}) is visible while it runs.
 * The session carries the claim's fencing token ({@code jobflow.lease_token}); a cancel, lease loss
 * or drain cancels the running statement ({@code pg_cancel_backend}). If this process dies, the
 * server notices the lost client within a second ({@code client_connection_check_interval}).
 */
final class SqlProcedureHandler implements JobHandler {
    private static final Logger LOG = Logger.getLogger(SqlProcedureHandler.class);

    private final Pool pool;
    private final String procedure;

    /** @param procedure an allow-listed, pattern-checked name: safe to put in the statement text */
    SqlProcedureHandler(Pool pool, String procedure) {
        this.pool = pool;
        this.procedure = procedure;
    }

    @Override
    public String type() {
        return HandlerRegistry.SQL_PREFIX + procedure;
    }

    @Override
    public void run(JobContext context) throws Exception {
        SqlConnection connection = pool.getConnection().await().atMost(Duration.ofSeconds(30));
        try {
            int pid = connection.preparedQuery("select pg_backend_pid() as pid,"
                    + " set_config('jobflow.lease_token', $1, false),"
                    + " set_config('client_connection_check_interval', '1000', false)")
                    .execute(Tuple.of(String.valueOf(context.lease().token())))
                    .await().indefinitely().iterator().next().getInteger("pid");
            JsonObject params = new JsonObject(context.params());
            try {
                connection.preparedQuery("call " + procedure + "($1, $2::jsonb)")
                        .execute(Tuple.of(context.job().id(), params))
                        .await().indefinitely();
            } catch (CompletionException e) {
                if (e.getCause() instanceof InterruptedException) {
                    cancelBackend(pid);
                    throw (InterruptedException) e.getCause();
                }
                throw e;
            }
            context.heartbeat(); // learn of a cancel the procedure honoured by returning early
        } finally {
            connection.close().subscribe().with(ok -> {
            }, failure -> LOG.debugf("closing procedure connection: %s", failure.getMessage()));
        }
    }

    private void cancelBackend(int pid) {
        pool.preparedQuery("select pg_cancel_backend($1)").execute(Tuple.of(pid))
                .subscribe().with(ok -> LOG.debugf("cancelled procedure %s (backend %d)", procedure, pid),
                        failure -> LOG.warnf("could not cancel procedure %s (backend %d): %s", procedure, pid,
                                failure.getMessage()));
    }
}

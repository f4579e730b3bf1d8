package dev.jobflow.core.store;

import java.util.Set;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

/**
 * Whether a failure means the database cannot be reached right now (restarting, failing over, not
 * accepting connections, the connection lost) rather than that the request is wrong or the code is:
 * such a request is answered {@code 503} with {@code Retry-After}, and succeeds once the database is
 * back. The same for every backend: connection refusals, closed connections, SQLSTATE class 08
 * (connection exception), 57P01–57P03 (shutdown, cannot connect now), 53300 (too many
 * connections), 55000 at connect time (database not accepting connections), Oracle's lost-session
 * and listener errors.
 */
public final class StoreUnavailable {
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "53300");
    private static final Set<Integer> ORACLE_CODES = Set.of(1012, 1033, 1034, 1089, 1090, 3113, 3114, 3135, 12514,
            12528, 12537, 12541, 17002, 17008, 17410);

    private StoreUnavailable() {
    }

    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClosedConnectionException || t instanceof java.net.ConnectException
                    || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
            if (t instanceof DatabaseException db) {
                String state = db.getSqlState();
                if (state != null && (state.startsWith("08") || STATES.contains(state))
                        || "55000".equals(state) && String.valueOf(db.getMessage()).contains("accepting connections")
                        || ORACLE_CODES.contains(db.getErrorCode())) {
                    return true;
                }
            }
            if (t instanceof java.sql.SQLException sql && (sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08") || ORACLE_CODES.contains(sql.getErrorCode()))) {
                return true;
            }
        }
        return false;
    }
}

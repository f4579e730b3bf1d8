package dev.jobflow.oracle;

import java.sql.SQLException;

import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.oracleclient.OracleBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.oracleclient.OracleConnectOptions;
import io.vertx.sqlclient.PoolOptions;

import oracle.jdbc.pool.OracleDataSource;

/**
 * Builds the two ways this adapter talks to Oracle from one JDBC URL and credentials: the reactive
 * pool (ordinary SQL) and a JDBC data source (the AQ sessions of the long-poll dequeue).
 */
public final class OracleDatabase {
    private static final Logger LOG = Logger.getLogger(OracleDatabase.class);

    private OracleDatabase() {
    }

    /** @param url {@code jdbc:oracle:thin:@host:port/service} (or without the {@code jdbc:} prefix) */
    public static OracleConnectOptions connectOptions(String url, String user, String password) {
        OracleConnectOptions options = OracleConnectOptions.fromUri(withoutJdbcPrefix(url));
        if (user != null && !user.isBlank()) {
            options.setUser(user);
        }
        if (password != null) {
            options.setPassword(password);
        }
        return options.setCachePreparedStatements(true);
    }

    /**
     * The reactive pool; each new session first switches to the owner's schema (a service user that
     * is not the owner then resolves every name of the named statements there). A switch that fails
     * (no such schema) is logged as an error naming the schema; the statements then fail with
     * ORA-00942.
     */
    public static Pool pool(Vertx vertx, OracleConnectOptions options, OracleSchema schema, int maxSize) {
        return OracleBuilder.pool()
                .with(new PoolOptions().setMaxSize(maxSize).setName("jobflow-oracle-" + System.identityHashCode(options)))
                .connectingTo(options)
                .withConnectHandler(conn -> conn.query(schema.alterSession()).execute().subscribe().with(
                        done -> conn.closeAndForget(),
                        failure -> {
                            LOG.errorf("cannot switch a session to schema %s: %s", schema.owner(), failure.getMessage());
                            conn.closeAndForget();
                        }))
                .using(vertx)
                .build();
    }

    public static OracleDataSource dataSource(String url, String user, String password) {
        try {
            OracleDataSource dataSource = new OracleDataSource();
            dataSource.setURL(url.startsWith("jdbc:") ? url : "jdbc:" + url);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            return dataSource;
        } catch (SQLException e) {
            throw new IllegalArgumentException("not a usable Oracle URL: " + redact(url), e);
        }
    }

    /** Checks the URL names Oracle's thin driver, for a clear message at start-up. */
    public static void requireOracleUrl(String url) {
        if (url == null || !withoutJdbcPrefix(url).startsWith("oracle:thin:@")) {
            throw new IllegalArgumentException("jobflow.store.backend=oracle needs an Oracle JDBC URL "
                    + "(jdbc:oracle:thin:@host:port/service), got: " + redact(url));
        }
    }

    /** The URL without credentials, safe for logs. */
    public static String redact(String url) {
        if (url == null) {
            return "<none>";
        }
        return url.replaceAll("(?<=@)[^@/]*/[^@]*@", "").replaceAll("(?<=thin:)[^@]*@", "@");
    }

    private static String withoutJdbcPrefix(String url) {
        return url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
    }
}

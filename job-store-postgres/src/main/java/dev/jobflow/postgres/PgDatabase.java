package dev.jobflow.postgres;

import java.net.URI;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** Builds the reactive PostgreSQL pool (and LISTEN options) from a JDBC-style URL and credentials. */
public final class PgDatabase {

    private PgDatabase() {
    }

    /**
     * @param url {@code jdbc:postgresql://host:port/db} or {@code postgresql://host:port/db}
     */
    public static PgConnectOptions connectOptions(String url, String user, String password) {
        String uri = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        if (!uri.startsWith("postgresql://") && !uri.startsWith("postgres://")) {
            throw new IllegalArgumentException("not a PostgreSQL URL: " + redact(url));
        }
        PgConnectOptions options = PgConnectOptions.fromUri(uri);
        if (user != null && !user.isBlank()) {
            options.setUser(user);
        }
        if (password != null) {
            options.setPassword(password);
        }
        return options.setCachePreparedStatements(true).setPipeliningLimit(256);
    }

    /**
     * LISTENs on {@code channel} on a connection of its own (reconnected every 500 ms while lost) and calls
     * {@code listener} for each notification and on each (re)subscribe, since notifications sent meanwhile
     * are not replayed; closing the result stops listening.
     */
    public static Uni<AutoCloseable> listen(Vertx vertx, PgConnectOptions options, String channel, Runnable listener) {
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx, options);
        subscriber.reconnectPolicy(retries -> 500L);
        subscriber.channel(channel).handler(payload -> listener.run()).subscribeHandler(listener::run);
        return subscriber.connect().replaceWith(() -> subscriber::closeAndAwait);
    }

    public static Pool pool(Vertx vertx, PgConnectOptions options, int maxSize) {
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(maxSize).setName("jobflow-" + System.identityHashCode(options)))
                .connectingTo(options)
                .using(vertx)
                .build();
    }

    /** The URL without user info, safe for logs. */
    public static String redact(String url) {
        try {
            String uri = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
            URI parsed = URI.create(uri);
            return parsed.getScheme() + "://" + parsed.getHost() + (parsed.getPort() > 0 ? ":" + parsed.getPort() : "")
                    + parsed.getPath();
        } catch (RuntimeException e) {
            return "<unparseable url>";
        }
    }
}

package dev.jobflow.bench.core;

import java.time.Duration;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

import dev.jobflow.postgres.PgDatabase;
import dev.jobflow.postgres.PgJobStore;
import dev.jobflow.testing.TestDatabase;

/** The PostgreSQL job store used directly from the bench JVM (no service in between). */
public final class StoreClient implements AutoCloseable {
    private final Vertx vertx;
    private final Pool pool;
    private final PgJobStore store;

    private StoreClient(Vertx vertx, Pool pool, PgJobStore store) {
        this.vertx = vertx;
        this.pool = pool;
        this.store = store;
    }

    public static StoreClient open(Vertx vertx, TestDatabase db, int poolSize) {
        PgConnectOptions options = PgDatabase.connectOptions(db.jdbcUrl(), db.user(), db.password());
        Pool pool = PgDatabase.pool(vertx, options, poolSize);
        return new StoreClient(vertx, pool, new PgJobStore(vertx, pool, options, Duration.ofSeconds(30), Duration.ofHours(24)));
    }

    public PgJobStore store() {
        return store;
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        pool.closeAndAwait();
    }
}

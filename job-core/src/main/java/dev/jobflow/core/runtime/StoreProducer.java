package dev.jobflow.core.runtime;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

import dev.jobflow.core.pg.PgDatabase;
import dev.jobflow.core.pg.PgJobStore;
import dev.jobflow.core.pg.PgProgressLog;
import dev.jobflow.core.pg.PgReplicaDirectory;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.store.ReplicaDirectory;

/** Makes the store and progress log of the configured backend available to a Quarkus service. */
@ApplicationScoped
public class StoreProducer {
    private static final Logger LOG = Logger.getLogger(StoreProducer.class);

    @Produces
    @Singleton
    PgConnectOptions connectOptions(StoreConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        if (config.backend() != StoreConfig.Backend.POSTGRESQL) {
            throw new IllegalStateException("jobflow.store.backend=" + config.backend().name().toLowerCase()
                    + " is not available in this build; use postgresql");
        }
        LOG.infof("store: PostgreSQL at %s", PgDatabase.redact(url));
        return PgDatabase.connectOptions(url, user.orElse(null), password.orElse(null));
    }

    @Produces
    @Singleton
    Pool pool(Vertx vertx, PgConnectOptions options, StoreConfig config) {
        return PgDatabase.pool(vertx, options, config.poolSize());
    }

    void closePool(@Disposes Pool pool) {
        pool.closeAndAwait();
    }

    @Produces
    @Singleton
    JobStore jobStore(Vertx vertx, Pool pool, PgConnectOptions options, StoreConfig config) {
        return new PgJobStore(vertx, pool, options, config.replicaTtl());
    }

    @Produces
    @Singleton
    ProgressLog progressLog(Pool pool) {
        return new PgProgressLog(pool);
    }

    @Produces
    @Singleton
    ReplicaDirectory replicaDirectory(Pool pool, StoreConfig config) {
        return new PgReplicaDirectory(pool, config.replicaTtl());
    }
}

package dev.jobflow.core.runtime;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

import dev.jobflow.core.pg.PgDatabase;
import dev.jobflow.core.pg.PgJobStore;
import dev.jobflow.core.pg.PgProcedureRunner;
import dev.jobflow.core.pg.PgProgressLog;
import dev.jobflow.core.sql.SqlReplicaDirectory;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.store.ReplicaDirectory;

/**
 * Makes the store and progress log of the configured backend available to a Quarkus service.
 * PostgreSQL is built in; any other backend is a {@link StoreBackend} bean from its own module,
 * chosen by {@code jobflow.store.backend} at start-up. A backend that is not on the classpath, or
 * whose settings are incomplete, stops the start with a message naming what is missing.
 */
@ApplicationScoped
public class StoreProducer {
    private static final Logger LOG = Logger.getLogger(StoreProducer.class);

    /**
     * Fails the start-up, not the first request, when the backend cannot be used (CDI's Startup
     * event comes after the runtime configuration is available).
     */
    void checkAtStartUp(@Observes Startup started, StoreConfig config,
            @Any Instance<StoreBackend> backends) {
        if (config.backend() != StoreConfig.Backend.POSTGRESQL) {
            plugged(config, backends).validate();
        }
    }

    @Produces
    @Singleton
    PgConnectOptions connectOptions(StoreConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        if (config.backend() != StoreConfig.Backend.POSTGRESQL) {
            throw new IllegalStateException("the PostgreSQL pool was asked for, but jobflow.store.backend="
                    + name(config.backend()));
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
    JobStore jobStore(Vertx vertx, StoreConfig config, Instance<Pool> pool, Instance<PgConnectOptions> options,
            @Any Instance<StoreBackend> backends) {
        if (config.backend() == StoreConfig.Backend.POSTGRESQL) {
            return new PgJobStore(vertx, pool.get(), options.get(), config.replicaTtl());
        }
        return plugged(config, backends).jobStore();
    }

    @Produces
    @Singleton
    ProgressLog progressLog(StoreConfig config, Instance<Pool> pool, @Any Instance<StoreBackend> backends) {
        if (config.backend() == StoreConfig.Backend.POSTGRESQL) {
            return new PgProgressLog(pool.get());
        }
        return plugged(config, backends).progressLog();
    }

    private static StoreBackend plugged(StoreConfig config, Instance<StoreBackend> backends) {
        List<StoreBackend> matching = backends.stream().filter(b -> b.backend() == config.backend()).toList();
        if (matching.isEmpty()) {
            throw new IllegalStateException("jobflow.store.backend=" + name(config.backend())
                    + " is not available in this service: its module (job-store-" + name(config.backend())
                    + ") is not on the classpath");
        }
        if (matching.size() > 1) {
            throw new IllegalStateException("more than one implementation of jobflow.store.backend="
                    + name(config.backend()) + ": " + matching);
        }
        return matching.get(0);
    }

    private static String name(StoreConfig.Backend backend) {
        return backend.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Produces
    @Singleton
    ReplicaDirectory replicaDirectory(StoreConfig config, Instance<Pool> pool, @Any Instance<StoreBackend> backends) {
        if (config.backend() == StoreConfig.Backend.POSTGRESQL) {
            return new SqlReplicaDirectory(pool.get(), NamedQueries.load("db/queries/postgres/replicas.sql"),
                    config.replicaTtl(), config.replicaForgetAfter());
        }
        return plugged(config, backends).replicaDirectory();
    }

    @Produces
    @Singleton
    ProcedureRunner procedureRunner(StoreConfig config, Instance<Pool> pool, @Any Instance<StoreBackend> backends) {
        if (config.backend() == StoreConfig.Backend.POSTGRESQL) {
            return new PgProcedureRunner(pool.get());
        }
        return plugged(config, backends).procedureRunner();
    }
}

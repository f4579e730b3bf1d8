package dev.jobflow.core.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.store.ReplicaDirectory;

/**
 * Makes the ports of the configured backend available to a Quarkus service. Every backend is a
 * {@link StoreBackend} bean from its own module (job-store-postgres, job-store-oracle), chosen by
 * {@code jobflow.store.backend} at start-up. A backend that is not on the classpath, or whose
 * settings are incomplete, stops the start with a message naming what is missing.
 */
@ApplicationScoped
public class StoreProducer {

    /**
     * Fails the start-up, not the first request, when the backend cannot be used (CDI's Startup
     * event comes after the runtime configuration is available).
     */
    void checkAtStartUp(@Observes Startup started, StoreConfig config, @Any Instance<StoreBackend> backends,
            @ConfigProperty(name = "quarkus.flyway.migrate-at-start", defaultValue = "false") boolean migrate,
            @ConfigProperty(name = "quarkus.datasource.active", defaultValue = "true") boolean jdbcActive) {
        chosen(config, backends).validate();
        // application.properties turns the JDBC datasource on by the settings' spellings (true, TRUE)
        if (migrate && !jdbcActive && config.backend() == StoreConfig.Backend.POSTGRESQL) {
            throw new IllegalStateException("JOBFLOW_MIGRATE_AT_START (quarkus.flyway.migrate-at-start) must be "
                    + "true or false, and JOBFLOW_STORE_BACKEND postgresql or oracle, in lower or upper case: "
                    + "with the spellings given nothing would migrate");
        }
    }

    /** The datasource settings, read once for whichever backend is chosen. */
    @Produces
    @Singleton
    DataSourceSettings dataSourceSettings(@ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        return new DataSourceSettings(url, user, password);
    }

    @Produces
    @Singleton
    Pool pool(StoreConfig config, @Any Instance<StoreBackend> backends) {
        return chosen(config, backends).pool();
    }

    @Produces
    @Singleton
    JobStore jobStore(StoreConfig config, @Any Instance<StoreBackend> backends) {
        return chosen(config, backends).jobStore();
    }

    @Produces
    @Singleton
    ProgressLog progressLog(StoreConfig config, @Any Instance<StoreBackend> backends) {
        return chosen(config, backends).progressLog();
    }

    @Produces
    @Singleton
    ReplicaDirectory replicaDirectory(StoreConfig config, @Any Instance<StoreBackend> backends) {
        return chosen(config, backends).replicaDirectory();
    }

    @Produces
    @Singleton
    ProcedureRunner procedureRunner(StoreConfig config, @Any Instance<StoreBackend> backends) {
        return chosen(config, backends).procedureRunner();
    }

    @Produces
    @Singleton
    Credentials credentials(StoreConfig config, @Any Instance<StoreBackend> backends) {
        return chosen(config, backends).credentials();
    }

    @Produces
    @Singleton
    EventOutbox eventOutbox(StoreConfig config, @Any Instance<StoreBackend> backends) {
        return chosen(config, backends).eventOutbox();
    }

    static StoreBackend chosen(StoreConfig config, Instance<StoreBackend> backends) {
        String name = config.backend().name().toLowerCase(Locale.ROOT);
        List<StoreBackend> matching = backends.stream().filter(b -> b.backend() == config.backend()).toList();
        if (matching.isEmpty()) {
            throw new IllegalStateException("jobflow.store.backend=" + name + " is not available in this service: "
                    + "its module (job-store-" + (config.backend() == StoreConfig.Backend.POSTGRESQL ? "postgres" : name)
                    + ") is not on the classpath");
        }
        if (matching.size() > 1) {
            throw new IllegalStateException("more than one implementation of jobflow.store.backend=" + name + ": "
                    + matching);
        }
        return matching.get(0);
    }
}

package dev.jobflow.core.runtime;

import java.time.Duration;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Ready only while the store's database answers: one round trip on the service's own pool, on either
 * backend. It is the readiness check of the database in every service; the PostgreSQL JDBC datasource
 * (Flyway's) is active only in a process that migrates, so a replica opens nothing else at start.
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements AsyncHealthCheck {
    /** Longer than a round trip ever takes on a working database; shorter than Kubernetes' probe timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final StoreBackend backend;
    private final String name;

    StoreReadiness(StoreConfig config, @Any Instance<StoreBackend> backends) {
        this.backend = StoreProducer.chosen(config, backends);
        this.name = "store (" + backend.backend().name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return backend.ping().ifNoItem().after(TIMEOUT).fail()
                .map(ok -> HealthCheckResponse.up(name))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(name).down()
                        .withData("error", failure.getMessage() == null ? failure.getClass().getSimpleName()
                                : failure.getMessage())
                        .build());
    }
}

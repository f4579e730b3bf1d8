package dev.jobflow.hub.drain;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.jobflow.hub.auth.SigningSecret;
import dev.jobflow.hub.log.RoomBus;

/** Ready once the tailer follows the log and the token key is known, and until the drain begins. */
@Readiness
@ApplicationScoped
public class HubReadiness implements HealthCheck {
    private final RoomBus bus;
    private final DrainState drain;
    private final SigningSecret secret;

    HubReadiness(RoomBus bus, DrainState drain, SigningSecret secret) {
        this.bus = bus;
        this.drain = drain;
        this.secret = secret;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("progress-hub").status(bus.started() && secret.ready() && !drain.draining())
                .withData("tailing", bus.started()).withData("token-key", secret.ready()).withData("draining", drain.draining())
                .withData("cursor", bus.cursor()).build();
    }
}

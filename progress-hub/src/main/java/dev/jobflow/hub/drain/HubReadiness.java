package dev.jobflow.hub.drain;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.jobflow.hub.log.RoomBus;

/** Ready once the tailer follows the log, and until the drain begins. */
@Readiness
@ApplicationScoped
public class HubReadiness implements HealthCheck {
    private final RoomBus bus;
    private final DrainState drain;

    HubReadiness(RoomBus bus, DrainState drain) {
        this.bus = bus;
        this.drain = drain;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("progress-hub").status(bus.started() && !drain.draining())
                .withData("tailing", bus.started()).withData("draining", drain.draining())
                .withData("cursor", bus.cursor()).build();
    }
}

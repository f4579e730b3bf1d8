package dev.jobflow.hub.drain;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.jobflow.hub.log.RoomBus;

/** Readiness: ready once the tailer has started and until the drain begins. */
@Readiness
@ApplicationScoped
public class DrainState implements HealthCheck {
    private final RoomBus bus;
    private volatile boolean draining;

    DrainState(RoomBus bus) {
        this.bus = bus;
    }

    public boolean draining() {
        return draining;
    }

    void begin() {
        draining = true;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("progress-hub").status(bus.started() && !draining)
                .withData("tailing", bus.started()).withData("draining", draining).build();
    }
}

package dev.jobflow.dispatcher.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.jobflow.dispatcher.config.ReplicaIdentity;
import dev.jobflow.dispatcher.run.Slots;
import dev.jobflow.dispatcher.service.DispatcherLifecycle;

/** Ready while the replica claims work; DOWN until it could register (its database away at start) and once it drains. */
@Readiness
@ApplicationScoped
public class DispatcherReadiness implements HealthCheck {
    private final DispatcherLifecycle lifecycle;
    private final Slots slots;
    private final ReplicaIdentity replica;

    DispatcherReadiness(DispatcherLifecycle lifecycle, Slots slots, ReplicaIdentity replica) {
        this.lifecycle = lifecycle;
        this.slots = slots;
        this.replica = replica;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("dispatcher")
                .status(lifecycle.isStarted() && !lifecycle.isDraining())
                .withData("replica", replica.id())
                .withData("slotsBusy", slots.busy())
                .withData("slots", slots.capacity())
                .build();
    }
}

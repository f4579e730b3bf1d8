package dev.jobflow.hub.drain;

import jakarta.enterprise.context.ApplicationScoped;

/** Whether this replica is draining (SIGTERM received). */
@ApplicationScoped
public class DrainState {
    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    void begin() {
        draining = true;
    }
}

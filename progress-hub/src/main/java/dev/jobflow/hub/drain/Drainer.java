package dev.jobflow.hub.drain;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.jobflow.hub.config.HubConfig;
import dev.jobflow.hub.ws.Connections;

/**
 * On SIGTERM: readiness goes down at once (no new traffic from the ingress), then the open
 * connections are closed with 4503 (reconnect), spread evenly over {@code jobflow.hub.drain.period}
 * so the clients do not all reconnect to the other replicas in the same instant.
 * <p>
 * It runs in its own JVM shutdown hook, beside Quarkus' graceful shutdown (which waits up to
 * {@code quarkus.shutdown.timeout} for open requests, WebSockets included, to end): the drain is
 * what ends them. {@link ShutdownEvent} is only a fallback for shutdowns without a signal.
 */
@ApplicationScoped
public class Drainer {
    private static final Logger LOG = Logger.getLogger(Drainer.class);

    private final DrainState state;
    private final Connections connections;
    private final HubConfig config;
    private final AtomicBoolean started = new AtomicBoolean();

    Drainer(DrainState state, Connections connections, HubConfig config) {
        this.state = state;
        this.connections = connections;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::drain, "hub-drain"));
    }

    void onStop(@Observes ShutdownEvent event) {
        drain();
    }

    void drain() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        state.begin();
        List<Long> ids = connections.ids();
        long periodMs = config.drain().period().toMillis();
        LOG.infof("draining: closing %d connection(s) over %d ms", ids.size(), periodMs);
        long start = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            long due = periodMs * i / ids.size();
            long wait = due - (System.nanoTime() - start) / 1_000_000;
            if (wait > 0) {
                try {
                    Thread.sleep(wait); // pacing the closes over the grace period, not synchronisation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            connections.drain(ids.get(i));
        }
        LOG.info("draining: done");
    }
}

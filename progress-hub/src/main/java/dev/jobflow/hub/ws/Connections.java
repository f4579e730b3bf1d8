package dev.jobflow.hub.ws;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/** The open connections of this replica, by id and by subject, with their metrics. */
// At start-up, not at the first connection: its gauges read 0 from the start (a dashboard shows 0, not "no data").
@Startup
@ApplicationScoped
public class Connections {
    private final Map<Long, Client> byId = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> bySubject = new ConcurrentHashMap<>();
    private final Counter slowConsumers;
    private final Counter refusals;

    Connections(MeterRegistry registry) {
        Gauge.builder("jobflow.hub.connections", byId, Map::size).description("open WebSocket connections")
                .register(registry);
        Gauge.builder("jobflow.hub.subscriptions", this, Connections::subscriptionCount)
                .description("room subscriptions of all connections").register(registry);
        Gauge.builder("jobflow.hub.outbox.frames", this, Connections::queuedFrames)
                .description("frames queued in all outboxes").register(registry);
        slowConsumers = registry.counter("jobflow.hub.closed.slow");
        refusals = registry.counter("jobflow.hub.auth.refused");
    }

    void countSlowConsumer() {
        slowConsumers.increment();
    }

    void countRefusal() {
        refusals.increment();
    }

    void add(Client client) {
        byId.put(client.id, client);
    }

    void remove(Client client) {
        if (byId.remove(client.id) != null && client.grant != null) {
            release(client.grant.subject());
        }
    }

    /** Counts a connection for {@code subject}; false (nothing counted) when it already has {@code max}. */
    boolean acquire(String subject, int max) {
        AtomicInteger count = bySubject.computeIfAbsent(subject, s -> new AtomicInteger());
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return false;
        }
        return true;
    }

    void release(String subject) {
        bySubject.computeIfPresent(subject, (s, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** The ids of the open connections (for the drain). */
    public List<Long> ids() {
        return List.copyOf(byId.keySet());
    }

    /** Closes one connection with the reconnect code, if it is still open. */
    public void drain(long id) {
        Client client = byId.get(id);
        if (client != null) {
            client.close(CloseCodes.DRAINING, "draining: reconnect to another replica and resume");
        }
    }

    public int count() {
        return byId.size();
    }

    private double subscriptionCount() {
        return byId.values().stream().mapToInt(c -> c.subscriptions.size()).sum();
    }

    private double queuedFrames() {
        return byId.values().stream().mapToInt(c -> c.outbox.size()).sum();
    }
}

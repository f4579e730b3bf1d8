package dev.jobflow.dispatcher.events;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.JobEvent;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.dispatcher.config.DispatcherConfig;

/**
 * Publishes the outbox to the broker (AMQP 1.0 or Kafka, an {@link EventSink}): every
 * {@code events.interval} a pass, run by one replica at a time (the database decides), sends the
 * unsent events in id order, one after another, each waiting for the broker's acknowledgement, and
 * marks those the broker took; it stops at the first that fails, so a job's events go out in order.
 * While the broker is away nothing is sent and the events wait in the database; each pass tries to
 * link again, so the relay resumes by itself when the broker is back (also when it was away when
 * the dispatcher started). Claims and runs do not depend on it. Counted in
 * {@code jobflow_events_published_total} and {@code jobflow_events_relay_failures_total}.
 */
@ApplicationScoped
public class EventRelay {
    private static final Logger LOG = Logger.getLogger(EventRelay.class);
    static final int MAX_PASSES = 20;

    private final EventOutbox outbox;
    private final EventSink link;
    private final DispatcherConfig.Events config;
    private final Counter published;
    private final Counter failures;

    EventRelay(EventOutbox outbox, EventSink link, DispatcherConfig config, MeterRegistry registry) {
        this.outbox = outbox;
        this.link = link;
        this.config = config.events();
        this.published = Counter.builder("jobflow.events.published").description("Job events the broker took")
                .register(registry);
        this.failures = Counter.builder("jobflow.events.relay.failures")
                .description("Relay passes that stopped because the broker did not take an event").register(registry);
    }

    /** Relays until nothing more is due (or another replica relays, or the broker fails); blocking. */
    public void run() {
        Duration passTimeout = config.sendTimeout().multipliedBy(config.batch()).plusSeconds(30);
        try {
            for (int pass = 0; pass < MAX_PASSES; pass++) {
                int sent = outbox.relayEvents(config.batch(), this::publish).await().atMost(passTimeout);
                if (sent < config.batch()) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("event relay pass failed (next interval): %s", e.getMessage());
        }
    }

    /** Sends the events in order; answers how many of the leading ones the broker acknowledged. */
    private Uni<Integer> publish(List<JobEvent> events) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (int i = 0; i < events.size(); i++) {
            JobEvent event = events.get(i);
            int before = i;
            // once one failed (fewer sent than its place), the rest are not tried
            chain = chain.flatMap(sent -> sent < before ? Uni.createFrom().item(sent)
                    : send(event)
                            .replaceWith(sent + 1)
                            .onFailure().recoverWithItem(failure -> {
                                failures.increment();
                                LOG.warnf("event relay: the broker did not take event %d (%s); %d sent, the rest wait",
                                        event.id(), failure.getMessage(), sent);
                                return sent;
                            }));
        }
        return chain.invoke(sent -> published.increment(sent));
    }

    private Uni<Void> send(JobEvent event) {
        return Uni.createFrom().completionStage(() -> link.send(event).toCompletionStage())
                .ifNoItem().after(config.sendTimeout()).failWith(() -> {
                    link.drop(); // a link that does not answer is made again by the next pass
                    return new IllegalStateException("no acknowledgement within " + config.sendTimeout());
                });
    }
}

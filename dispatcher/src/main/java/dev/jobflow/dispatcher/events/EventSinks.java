package dev.jobflow.dispatcher.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.Config;

import io.vertx.core.Vertx;

import dev.jobflow.dispatcher.config.DispatcherConfig;

/** The relay's {@link EventSink}: the broker {@code jobflow.dispatcher.events.broker} names. */
@ApplicationScoped
public class EventSinks {

    @Produces
    @ApplicationScoped
    EventSink sink(Vertx vertx, Config config, DispatcherConfig dispatcher) {
        DispatcherConfig.Events events = dispatcher.events();
        return switch (events.broker()) {
            case KAFKA -> new KafkaLink(config, events);
            case AMQP -> new AmqpLink(vertx, config, events);
        };
    }

    void close(@Disposes EventSink sink) {
        sink.drop();
    }
}

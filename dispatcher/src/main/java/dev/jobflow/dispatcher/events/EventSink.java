package dev.jobflow.dispatcher.events;

import io.vertx.core.Future;

import dev.jobflow.core.model.JobEvent;

/**
 * Where the relay sends job events: an AMQP 1.0 broker ({@link AmqpLink}) or Kafka
 * ({@link KafkaLink}), chosen by {@code jobflow.dispatcher.events.broker}. A sink holds its own
 * connection and makes it again whenever it is missing, so the relay resumes by itself when the
 * broker is back, also when it was away as the dispatcher started.
 */
public interface EventSink {

    /**
     * Sends one event and completes when the broker has taken it durably, or fails (then the
     * connection is dropped and made again by the next send). The relay sends one event at a time
     * and waits for each, so nothing overtakes.
     */
    Future<Void> send(JobEvent event);

    /** Forgets the connection (closing it): the next send makes a new one. */
    void drop();
}

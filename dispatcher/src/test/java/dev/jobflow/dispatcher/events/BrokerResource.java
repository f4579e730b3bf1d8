package dev.jobflow.dispatcher.events;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.jobflow.testing.TcpProxy;

/**
 * Turns the broker relay on against the real RabbitMQ on 127.0.0.1:5672 (AMQP 1.0), through a
 * {@link TcpProxy} the test can take down and bring back; it is down when the dispatcher starts. Each run publishes to its own
 * topic
 * address ({@code /topic/<key>}: RabbitMQ's AMQP 1.0 plugin routes it through amq.topic), so a
 * receiver attached first gets exactly this run's events and leaves no queue behind.
 */
public class BrokerResource implements QuarkusTestResourceLifecycleManager {
    static final String ADDRESS = "/topic/jobflow.test." + UUID.randomUUID();
    static volatile TcpProxy broker;

    @Override
    public Map<String, String> start() {
        broker = TcpProxy.to("127.0.0.1", 5672);
        broker.down(); // the dispatcher starts while the broker is away (EventsTest's first test)
        return Map.of(
                "jobflow.dispatcher.events.enabled", "true",
                "jobflow.dispatcher.events.send-timeout", "2s",
                "amqp-host", "127.0.0.1",
                "amqp-port", String.valueOf(broker.port()),
                "amqp-username", "guest",
                "amqp-password", "guest",
                "jobflow.dispatcher.events.address", ADDRESS,
                "jobflow.dispatcher.webhooks.backoff-base", "400ms",
                "jobflow.dispatcher.webhooks.backoff-max", "2s");
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}

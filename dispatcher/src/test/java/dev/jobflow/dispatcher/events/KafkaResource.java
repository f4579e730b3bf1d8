package dev.jobflow.dispatcher.events;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Turns the relay on against a real Kafka broker ({@link KafkaBroker}) started for the test class. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {
    static final String TOPIC = "jobflow-events-" + UUID.randomUUID();
    static volatile KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            broker = new KafkaBroker().start();
        } catch (Exception e) {
            throw new IllegalStateException("the Kafka broker did not start", e);
        }
        return Map.of(
                "jobflow.dispatcher.events.enabled", "true",
                "jobflow.dispatcher.events.broker", "kafka",
                "jobflow.dispatcher.events.address", TOPIC,
                "kafka.bootstrap.servers", broker.bootstrap(),
                "jobflow.dispatcher.webhooks.enabled", "false");
    }

    @Override
    public void stop() {
        if (broker != null) {
            try {
                broker.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

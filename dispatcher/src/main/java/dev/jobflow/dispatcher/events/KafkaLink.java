package dev.jobflow.dispatcher.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import dev.jobflow.core.model.JobEvent;
import dev.jobflow.dispatcher.config.DispatcherConfig;

/**
 * The relay's Kafka producer: each event a record of the topic {@code jobflow.dispatcher.events.address}
 * keyed by the job's id (a job's events stay in one partition, in order), the event's JSON as value,
 * headers {@code event}, {@code queue}, {@code job_id}. {@code acks=all} and idempotence: a send
 * completes when the record is durable, and a retry inside the producer never duplicates or reorders.
 * The producer is made at the first send and again after one failed (the relay's pass then stops and
 * the events wait in the outbox). Settings: {@code kafka.bootstrap.servers} (env
 * {@code KAFKA_BOOTSTRAP_SERVERS}) and any other producer setting as {@code kafka.<name>} (TLS, SASL);
 * never logged.
 */
public final class KafkaLink implements EventSink {
    private static final Logger LOG = Logger.getLogger(KafkaLink.class);
    private static final String PREFIX = "kafka.";

    private final Map<String, Object> settings;
    private final String topic;
    private KafkaProducer<String, String> producer;

    KafkaLink(Config config, DispatcherConfig.Events events) {
        Map<String, Object> props = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                config.getOptionalValue(name, String.class).ifPresent(v -> props.put(name.substring(PREFIX.length()), v));
            }
        }
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.getOptionalValue("kafka.bootstrap.servers", String.class).orElse("localhost:9092"));
        Duration timeout = events.sendTimeout();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis()); // metadata of a broker that is away
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "jobflow-event-relay");
        this.settings = Map.copyOf(props);
        this.topic = events.address();
    }

    @Override
    public Future<Void> send(JobEvent event) {
        Promise<Void> done = Promise.promise();
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, String.valueOf(event.jobId()),
                    event.toJson());
            record.headers().add("event", bytes(event.event())).add("queue", bytes(event.queue()))
                    .add("job_id", bytes(String.valueOf(event.jobId())));
            producer().send(record, (metadata, failure) -> {
                if (failure == null) {
                    done.complete();
                } else {
                    drop();
                    done.fail(failure);
                }
            });
        } catch (RuntimeException e) { // e.g. the broker's metadata did not come within max.block.ms
            drop();
            done.fail(e);
        }
        return done.future();
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(new HashMap<>(settings), new StringSerializer(), new StringSerializer());
            LOG.infof("event relay: producing to Kafka %s, topic %s", settings.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG),
                    topic);
        }
        return producer;
    }

    @Override
    public synchronized void drop() {
        KafkaProducer<String, String> old = producer;
        producer = null;
        if (old != null) {
            old.close(Duration.ZERO); // pending records fail now; the events wait in the outbox
        }
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }
}

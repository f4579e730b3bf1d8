package dev.jobflow.dispatcher.events;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.model.JobEvent;
import dev.jobflow.dispatcher.config.DispatcherConfig;

/**
 * Job events to a real Kafka broker (KRaft, a process of its own): a link made while the broker is
 * not there yet fails its sends, and once the broker is up the next sends go through without a new
 * link being configured; every event is a record of the topic keyed by its job, a job's events in
 * order, with the event, queue and job id as headers.
 */
class KafkaLinkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private static DispatcherConfig.Events events(String topic) {
        return new DispatcherConfig.Events() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Duration interval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public int batch() {
                return 100;
            }

            @Override
            public Duration sendTimeout() {
                return TIMEOUT;
            }

            @Override
            public String address() {
                return topic;
            }

            @Override
            public Broker broker() {
                return Broker.KAFKA;
            }
        };
    }

    private static JobEvent event(long id, long jobId, String event) {
        return new JobEvent(id, jobId, "reports", "demo", event, 1, null, Instant.now(), null);
    }

    private static boolean sent(EventSink link, JobEvent event) {
        try {
            link.send(event).toCompletionStage().toCompletableFuture().get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            return true;
        } catch (Exception failed) {
            return false;
        }
    }

    @Test
    void aLinkMadeBeforeTheBrokerIsUpSendsOnceItIsAndEachJobsEventsStayInOrder() throws Exception {
        try (KafkaBroker broker = new KafkaBroker()) {
            String topic = "jobflow-events-" + UUID.randomUUID();
            Config config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(
                    Map.of("kafka.bootstrap.servers", broker.bootstrap()), "test", 500)).build();
            KafkaLink link = new KafkaLink(config, events(topic));
            try {
                // nothing listens yet: the send fails within the send timeout, nothing waits forever
                assertThat(sent(link, event(1, 7, "SUBMITTED"))).isFalse();

                broker.start();
                // the first send after the broker came up may meet the topic being created
                until("a send goes through once the broker is up", Duration.ofMinutes(1),
                        () -> sent(link, event(1, 7, "SUBMITTED")));
                List<JobEvent> rest = List.of(event(2, 8, "SUBMITTED"), event(3, 7, "STARTED"),
                        event(4, 8, "STARTED"), event(5, 7, "COMPLETED"), event(6, 8, "FAILED"));
                for (JobEvent e : rest) {
                    assertThat(sent(link, e)).as("event %d", e.id()).isTrue();
                }
            } finally {
                link.drop();
            }

            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                until("the six events are read back", Duration.ofMinutes(1), () -> {
                    consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                    return records.size() >= 6;
                });
            }
            for (long job : List.of(7L, 8L)) {
                List<ConsumerRecord<String, String>> ofJob = records.stream()
                        .filter(r -> r.key().equals(String.valueOf(job))).toList();
                assertThat(ofJob.stream().map(r -> r.partition()).distinct()).as("one partition per job").hasSize(1);
                assertThat(ofJob.stream().map(r -> new JsonObject(r.value()).getString("event")).distinct())
                        .containsExactly("SUBMITTED", "STARTED", job == 7 ? "COMPLETED" : "FAILED");
                assertThat(ofJob.stream().map(r -> new JsonObject(r.value()).getLong("id")).toList()).isSorted();
                ConsumerRecord<String, String> first = ofJob.get(0);
                assertThat(new String(first.headers().lastHeader("event").value(), StandardCharsets.UTF_8))
                        .isEqualTo("SUBMITTED");
                assertThat(new String(first.headers().lastHeader("queue").value(), StandardCharsets.UTF_8))
                        .isEqualTo("reports");
                assertThat(new String(first.headers().lastHeader("job_id").value(), StandardCharsets.UTF_8))
                        .isEqualTo(String.valueOf(job));
            }
        }
    }
}

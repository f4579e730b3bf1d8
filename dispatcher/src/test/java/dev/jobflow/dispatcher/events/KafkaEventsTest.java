package dev.jobflow.dispatcher.events;

import static dev.jobflow.dispatcher.Jobs.awaitJob;
import static dev.jobflow.dispatcher.Jobs.submit;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.testing.PostgresTestResource;

/**
 * The dispatcher with {@code jobflow.dispatcher.events.broker=kafka} against a real Kafka broker:
 * the jobs it runs have their events in the topic, keyed by job, in order, marked sent in the outbox.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaResource.class)
class KafkaEventsTest {
    private static final Duration SOON = Duration.ofSeconds(60);

    @Inject
    JobStore store;
    @Inject
    EventOutbox outbox;

    @Test
    void theEventsOfTheJobsRunGoToTheTopicKeyedByJobInOrder() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(submit(store, "demo", Map.of("duration", 0.1, "step", 0.1), 1));
        }
        for (Job job : jobs) {
            awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
        }
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.broker.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(KafkaResource.TOPIC));
            until("three events of each job in the topic", SOON, () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                return jobs.stream().allMatch(job -> events(records, job).contains("COMPLETED"));
            });
        }
        for (Job job : jobs) {
            assertThat(events(records, job).stream().distinct()).containsExactly("SUBMITTED", "STARTED", "COMPLETED");
            until("job " + job.id() + "'s events marked sent", SOON, () -> dev.jobflow.testing.Await
                    .await(outbox.listEvents(job.id())).stream().allMatch(e -> e.sentAt() != null));
        }
    }

    private static List<String> events(List<ConsumerRecord<String, String>> records, Job job) {
        return records.stream().filter(r -> r.key().equals(String.valueOf(job.id())))
                .map(r -> new JsonObject(r.value()).getString("event")).toList();
    }
}

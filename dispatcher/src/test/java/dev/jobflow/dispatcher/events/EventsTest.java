package dev.jobflow.dispatcher.events;

import static dev.jobflow.dispatcher.Jobs.awaitJob;
import static dev.jobflow.dispatcher.Jobs.submit;
import static dev.jobflow.testing.Await.await;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobEvent;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.model.WebhookDelivery;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.testing.PostgresTestResource;

/**
 * Job events out of a real dispatcher: to the real RabbitMQ over AMQP 1.0 (in order per job, none
 * for a rolled-back change, nothing lost and nothing blocked while the broker is away) and to a
 * queue's webhook (a real HTTP receiver that checks the signature; a failing one is retried with
 * backoff, every attempt in the job's history).
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(BrokerResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventsTest {
    private static final Duration SOON = Duration.ofSeconds(30);
    private static final List<JsonObject> RECEIVED = new CopyOnWriteArrayList<>();
    private static Vertx vertx;
    private static AmqpClient client;

    @Inject
    JobStore store;
    @Inject
    EventOutbox outbox;
    @Inject
    Pool pool;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @BeforeAll
    static void attachReceiver() throws Exception {
        vertx = Vertx.vertx();
        // straight to the broker, not through the proxy the test takes down
        client = AmqpClient.create(vertx, new AmqpClientOptions().setHost("127.0.0.1").setPort(5672)
                .setUsername("guest").setPassword("guest"));
        client.createReceiver(BrokerResource.ADDRESS).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).handler(message -> RECEIVED.add(body(message)));
    }

    @AfterAll
    static void detach() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static JsonObject body(AmqpMessage message) {
        try {
            return new JsonObject(message.bodyAsString());
        } catch (RuntimeException e) {
            return new JsonObject(message.bodyAsBinary().toString());
        }
    }

    private static List<String> received(long jobId) {
        return RECEIVED.stream().filter(e -> e.getLong("job_id") == jobId).map(e -> e.getString("event")).toList();
    }

    @Test
    void eventsReachTheBrokerInOrderPerJobAndNoneForARolledBackChange() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(submit(store, "demo", Map.of("duration", 0.3, "step", 0.1), 1));
        }
        await(store.putQueue(QueueSettings.named("held")));
        await(store.pauseQueue("held", true));
        Job held = await(store.submitJob(NewJob.of("held", "alice", "demo", Map.of()).onQueue("held"))).job();
        Uni<Object> rolledBack = pool.withTransaction(conn -> conn
                .query("update jobs set status = 'CANCELLED' where id = " + held.id()).execute()
                .flatMap(done -> Uni.createFrom().failure(new IllegalStateException("roll back"))));
        assertThatThrownBy(() -> await(rolledBack)).hasMessageContaining("roll back");

        for (Job job : jobs) {
            until("events of job " + job.id(), SOON, () -> received(job.id()).size() == 3);
            assertThat(received(job.id())).containsExactly("SUBMITTED", "STARTED", "COMPLETED");
        }
        until("the held job's submit", SOON, () -> received(held.id()).size() == 1);
        await(store.cancelJob(held.id())); // the committed cancel does arrive, after the submit
        until("the held job's cancel", SOON, () -> received(held.id()).size() == 2);
        assertThat(received(held.id())).containsExactly("SUBMITTED", "CANCELLED");

        JsonObject completed = RECEIVED.stream().filter(e -> e.getLong("job_id") == jobs.get(0).id()
                && e.getString("event").equals("COMPLETED")).findFirst().orElseThrow();
        assertThat(completed.getString("queue")).isEqualTo("default");
        assertThat(completed.getString("type")).isEqualTo("demo");
        assertThat(completed.getInteger("attempt")).isEqualTo(1);
        assertThat(await(outbox.listEvents(jobs.get(0).id()))).allSatisfy(e -> assertThat(e.sentAt()).isNotNull());
    }

    @Test
    @Order(1)
    void aDispatcherStartedWhileTheBrokerWasAwayRelaysOnceItIsBack() throws Exception {
        // BrokerResource starts the dispatcher with the broker unreachable: jobs run, events wait
        Job early = submit(store, "demo", Map.of("duration", 0.1, "step", 0.1), 1);
        awaitJob(store, early.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
        until("the relay tried and failed", SOON, () -> failures() > 0);
        assertThat(await(outbox.listEvents(early.id()))).as("waiting in the outbox").hasSize(3)
                .allSatisfy(e -> assertThat(e.sentAt()).isNull());
        assertThat(received(early.id())).isEmpty();
        BrokerResource.broker.up();
        until("the events of the job run before the broker was reachable", SOON,
                () -> received(early.id()).contains("COMPLETED"));
        assertThat(received(early.id()).stream().distinct()).containsExactly("SUBMITTED", "STARTED", "COMPLETED");
    }

    /** The relay's failed passes so far (the dispatcher's own counter). */
    private double failures() {
        return registry.find("jobflow.events.relay.failures").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aBrokerDownForAWhileLosesNothingAndBlocksNoJob() throws Exception {
        // the relay's link is up first (the earlier test brought the broker up)
        Job probe = submit(store, "demo", Map.of("duration", 0.1, "step", 0.1), 1);
        until("the relay's link is up (the probe's submit arrived)", SOON, () -> !received(probe.id()).isEmpty());
        BrokerResource.broker.down();
        List<Job> jobs = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                jobs.add(submit(store, "demo", Map.of("duration", 0.2, "step", 0.1), 1));
            }
            for (Job job : jobs) { // the dispatcher claims and runs while the broker is away
                awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
            }
            for (Job job : jobs) {
                assertThat(await(outbox.listEvents(job.id()))).as("waiting in the outbox").hasSize(3)
                        .allSatisfy(e -> assertThat(e.sentAt()).isNull());
                assertThat(received(job.id())).isEmpty();
            }
        } finally {
            BrokerResource.broker.up();
        }
        for (Job job : jobs) {
            until("events of job " + job.id() + " after the broker came back", SOON,
                    () -> received(job.id()).contains("COMPLETED"));
            // at least once: an event the broker took as the link went down may come twice,
            // never a step back in a job's order
            List<Long> ids = RECEIVED.stream().filter(e -> e.getLong("job_id") == job.id()).map(e -> e.getLong("id"))
                    .toList();
            assertThat(ids).isSorted();
            assertThat(received(job.id()).stream().distinct()).containsExactly("SUBMITTED", "STARTED", "COMPLETED");
        }
    }

    @Test
    void aQueuesWebhookGetsEverySignedEventAndAFailingReceiverIsRetriedWithBackoff() throws Exception {
        String secret = "whsec-" + System.nanoTime();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        List<JsonObject> delivered = new CopyOnWriteArrayList<>();
        List<Instant> attempts = new CopyOnWriteArrayList<>();
        List<String> badSignatures = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String header = exchange.getRequestHeaders().getFirst("Jobflow-Signature");
            if (!validSignature(secret, header, body)) {
                badSignatures.add(header);
            }
            JsonObject event = new JsonObject(body);
            int status = 204;
            if (event.getString("event").equals("SUBMITTED")) {
                attempts.add(Instant.now());
                if (failuresLeft.getAndDecrement() > 0) {
                    status = 500;
                }
            }
            if (status == 204) {
                delivered.add(event);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        try {
            await(store.putQueue(QueueSettings.named("hooked")));
            await(outbox.putWebhook("hooked", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", secret));
            Job job = await(store.submitJob(NewJob.of("hooked", "alice", "demo", Map.of("duration", 0.2, "step", 0.1))
                    .onQueue("hooked"))).job();
            awaitJob(store, job.id(), SOON, "completed", j -> j.status() == JobStatus.COMPLETED);
            until("every event delivered", SOON, () -> delivered.size() == 3);

            assertThat(badSignatures).isEmpty();
            assertThat(delivered).extracting(e -> e.getString("event"))
                    .containsExactly("SUBMITTED", "STARTED", "COMPLETED");
            assertThat(attempts).hasSize(3);
            // backoff 400 ms doubling (with jitter: at least half), and the pass runs each second
            assertThat(Duration.between(attempts.get(0), attempts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            // the receiver answered before the pass that called it committed: wait for the record
            List<WebhookDelivery> history = until("every attempt recorded", SOON,
                    () -> await(outbox.listDeliveries(job.id())), h -> h.size() == 5);
            assertThat(history).extracting(WebhookDelivery::event, WebhookDelivery::outcome).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("SUBMITTED", "RETRY"),
                    org.assertj.core.groups.Tuple.tuple("SUBMITTED", "RETRY"),
                    org.assertj.core.groups.Tuple.tuple("SUBMITTED", "DELIVERED"),
                    org.assertj.core.groups.Tuple.tuple("STARTED", "DELIVERED"),
                    org.assertj.core.groups.Tuple.tuple("COMPLETED", "DELIVERED"));
            assertThat(history.get(0).statusCode()).isEqualTo(500);
            assertThat(history.get(0).error()).isEqualTo("HTTP 500");
            assertThat(await(outbox.listEvents(job.id()))).extracting(JobEvent::event)
                    .containsExactly("SUBMITTED", "STARTED", "COMPLETED");
        } finally {
            receiver.stop(0);
        }
    }

    /** What a receiver does: recompute the HMAC of "t.body" and compare in constant time. */
    private static boolean validSignature(String secret, String header, String body) {
        if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
            return false;
        }
        String t = header.substring(2, header.indexOf(','));
        String v1 = header.substring(header.indexOf("v1=") + 3);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t));
            return age < 300 && MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

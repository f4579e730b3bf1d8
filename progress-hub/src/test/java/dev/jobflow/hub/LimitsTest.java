package dev.jobflow.hub;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.auth.ApiKeyHeaders;
import dev.jobflow.hub.testing.HubTestBase;
import dev.jobflow.hub.testing.Tokens;
import dev.jobflow.hub.testing.WsClient;
import dev.jobflow.hub.ws.CloseCodes;
import dev.jobflow.testing.PostgresTestResource;

/** Slow consumers and limits, with small limits so they are reached quickly. */
@QuarkusTest
@TestProfile(LimitsTest.SmallLimits.class)
@WithTestResource(PostgresTestResource.class)
class LimitsTest extends HubTestBase {
    static final int OUTBOX_FRAMES = 8;
    static final int RATE = 2;

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "jobflow.hub.ws.outbox-frames", String.valueOf(OUTBOX_FRAMES),
                    "jobflow.hub.ws.outbox-bytes", "262144",
                    "jobflow.hub.ws.max-rooms", "3",
                    "jobflow.hub.ws.max-connections-per-subject", "2",
                    "jobflow.hub.send.rate-per-key", String.valueOf(RATE),
                    "quarkus.http.websocket-server.max-message-size", "4096");
        }
    }

    @Inject
    MeterRegistry registry;

    private static JsonObject big(int n) {
        return new JsonObject().put("n", n).put("pad", "x".repeat(30_000));
    }

    @Test
    void aClientThatStopsReadingIsClosedWhileOthersKeepReceivingAndMemoryStaysBounded() throws Exception {
        String room = room("bulk-");
        String token = Tokens.token("reader", List.of(room), List.of());
        double slowBefore = registry.counter("jobflow.hub.closed.slow").count();
        try (WsClient fast = WsClient.connect(baseUrl(), token);
                WsClient slow = WsClient.connect(baseUrl(), Tokens.token("sleeper", List.of(room), List.of()), false)) {
            fast.subscribe(room).awaitType("subscribed", room);
            slow.subscribe(room);
            int total = 400;
            double maxQueued = 0;
            List<Long> latenciesMs = new ArrayList<>();
            for (int n = 1; n <= total; n++) {
                // the reader that keeps up is never more than half an outbox behind: on a loaded machine it
                // could otherwise fall OUTBOX_FRAMES behind for a moment and be closed as a slow consumer too
                if (n > OUTBOX_FRAMES / 2) {
                    fast.awaitMessages(room, n - OUTBOX_FRAMES / 2, WAIT);
                }
                Instant sent = Instant.now();
                log.publish(List.of(room), big(n)).await().atMost(WAIT);
                if (n % 20 == 0) {
                    fast.awaitMessages(room, n, WAIT);
                    latenciesMs.add(Duration.between(sent, Instant.now()).toMillis());
                }
                maxQueued = Math.max(maxQueued, registry.get("jobflow.hub.outbox.frames").gauge().value());
            }
            List<JsonObject> received = fast.awaitMessages(room, total, WAIT);
            assertThat(numbers(received)).isEqualTo(IntStream.rangeClosed(1, total).boxed().toList());
            assertThat(fast.isClosed()).as("the reader that keeps up stays connected").isFalse();
            // the slow one was cut off, the memory held for it never exceeded its outbox
            until("slow consumer closed", WAIT, () -> registry.counter("jobflow.hub.closed.slow").count() > slowBefore);
            assertThat(maxQueued).isLessThanOrEqualTo(2 * OUTBOX_FRAMES);
            assertThat(latenciesMs).allSatisfy(ms -> assertThat(ms).isLessThan(5000));
            slow.resumeReading();
            assertThat(slow.awaitClose(WAIT)).isEqualTo(CloseCodes.SLOW_CONSUMER);
        }
    }

    @Test
    void aSlowClientOfAProgressRoomGetsTheLatestInsteadOfBeingClosed() throws Exception {
        String room = room("job:");
        try (WsClient slow = WsClient.connect(baseUrl(), Tokens.token("watcher", List.of(), List.of("job:")), false)) {
            slow.subscribe(room);
            int total = 200;
            for (int n = 1; n <= total; n++) {
                log.publish(List.of(room), big(n)).await().atMost(WAIT);
            }
            slow.resumeReading();
            slow.await(f -> "message".equals(f.getString("type")) && f.getJsonObject("data").getInteger("n") == total,
                    WAIT);
            List<JsonObject> received = slow.messages(room);
            assertThat(received.size()).isLessThan(total);
            assertThat(offsets(received)).isSorted().doesNotHaveDuplicates();
            assertThat(slow.isClosed()).isFalse();
        }
    }

    @Test
    void roomsPerConnectionAreLimited() {
        try (WsClient client = WsClient.connect(baseUrl(), Tokens.token("many", List.of(), List.of("r")))) {
            for (int i = 1; i <= 3; i++) {
                client.subscribe("r" + i).awaitType("subscribed", "r" + i);
            }
            client.subscribe("r4");
            assertThat(client.awaitType("error", "r4").getString("code")).isEqualTo("limit");
        }
    }

    @Test
    void connectionsPerSubjectAreLimited() {
        String token = Tokens.token("busy-" + UUID.randomUUID(), List.of("jobs"), List.of());
        try (WsClient one = WsClient.connect(baseUrl(), token); WsClient two = WsClient.connect(baseUrl(), token)) {
            one.awaitType("authenticated", null);
            two.awaitType("authenticated", null);
            try (WsClient three = WsClient.connect(baseUrl(), token)) {
                assertThat(three.awaitClose(WAIT)).isEqualTo(CloseCodes.TOO_MANY_CONNECTIONS);
            }
        }
    }

    @Test
    void anOversizedFrameClosesTheConnectionAndABadFrameGetsAnError() {
        try (WsClient client = WsClient.connect(baseUrl(), Tokens.token("big", List.of("jobs"), List.of()))) {
            client.sendRaw("not json");
            assertThat(client.awaitType("error", null).getString("code")).isEqualTo("bad_frame");
            client.send(new JsonObject().put("type", "subscribe").put("room", "jobs").put("since", -1));
            client.await(f -> "error".equals(f.getString("type")) && "jobs".equals(f.getString("room")), WAIT);
            client.send(new JsonObject().put("type", "subscribe").put("room", "x".repeat(5000)));
            assertThat(client.awaitClose(WAIT)).isEqualTo(CloseCodes.TOO_BIG);
        }
    }

    @Test
    void sendsPerKeyAreRateLimited() throws Exception {
        String key = "k-" + UUID.randomUUID();
        sql("insert into progress_api_keys (name, key_sha256) values (?, ?)", "rate-" + key, ApiKeyHeaders.sha256(key));
        String room = room("rate-");
        HttpClient http = HttpClient.newHttpClient();
        Instant start = Instant.now();
        List<CompletableFuture<HttpResponse<String>>> sends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/messages"))
                    .header("X-Api-Key", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"rooms\": \"" + room + "\", \"message\": {\"n\": " + i + "}}"))
                    .build();
            sends.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = sends.stream().map(f -> f.join().statusCode()).toList();
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        assertThat(statuses).containsOnly(200, 429).contains(429);
        long accepted = statuses.stream().filter(s -> s == 200).count();
        // a burst of the rate, then the rate per second
        assertThat((double) accepted).isLessThanOrEqualTo(RATE + RATE * seconds + 1);
        assertThat(log.roomHistory(room, 0, 100).await().atMost(WAIT)).hasSize((int) accepted);
        HttpResponse<String> refused = sends.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 429)
                .findFirst().orElseThrow();
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }
}

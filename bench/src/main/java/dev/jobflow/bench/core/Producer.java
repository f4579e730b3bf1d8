package dev.jobflow.bench.core;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.auth.ApiKeyHeaders;
import dev.jobflow.testing.ServiceProcess;

/**
 * A producer sending messages to the hub's {@code POST /api/v1/messages} at a steady rate (open
 * loop: the send times do not wait for answers), each carrying its send time ({@code t}, epoch
 * microseconds) so subscribers can measure end-to-end latency.
 */
public final class Producer {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI uri;
    private final String key;

    private Producer(URI uri, String key) {
        this.uri = uri;
        this.key = key;
    }

    /** Registers a fresh API key (its SHA-256, as the hub stores keys) and returns a producer using it. */
    public static Producer register(BenchStack stack, ServiceProcess hub) throws SQLException {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String key = HexFormat.of().formatHex(bytes);
        stack.execute("insert into progress_api_keys (name, key_sha256) values ('bench-" + System.nanoTime() + "', '"
                + ApiKeyHeaders.sha256(key) + "')");
        return new Producer(URI.create(hub.baseUrl() + "/api/v1/messages"), key);
    }

    /** Sends {@code count} messages to {@code room} at {@code perSecond}; returns how many were accepted. */
    public int send(String room, int count, double perSecond) {
        AtomicInteger accepted = new AtomicInteger();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long interval = (long) (1e9 / perSecond);
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += interval;
            JsonObject body = new JsonObject().put("rooms", new JsonArray().add(room))
                    .put("message", new JsonObject().put("n", i).put("t", HubClients.epochMicros()));
            HttpRequest request = HttpRequest.newBuilder(uri).header("content-type", "application/json")
                    .header("X-Api-Key", key).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
            inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenAccept(response -> {
                if (response.statusCode() == 200) {
                    accepted.incrementAndGet();
                }
            }).exceptionally(e -> null));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        return accepted.get();
    }
}

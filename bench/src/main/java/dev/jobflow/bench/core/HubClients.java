package dev.jobflow.bench.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * Many WebSocket subscribers of one hub in the bench JVM (Vert.x client, one event loop per core):
 * each connects with its own token, subscribes its rooms and hands every {@code message} frame
 * with its receipt time to a {@link Receiver}.
 */
public final class HubClients implements AutoCloseable {

    /** Called on an event-loop thread for every message frame. */
    public interface Receiver {
        void onMessage(JsonObject frame, long receivedEpochMicros);
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final WebSocketClient client;
    private final ConcurrentLinkedQueue<WebSocket> sockets = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger errorFrames = new AtomicInteger();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();
    private volatile boolean closing;

    public HubClients() {
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                .setConnectTimeout(30_000).setMaxFrameSize(1 << 20));
    }

    /**
     * Opens {@code count} connections (at most {@code inFlight} handshakes at a time), the i-th
     * authenticated with {@code token.apply(i)} and subscribed to {@code rooms.apply(i)}; returns
     * once every subscription is confirmed or the timeout passed.
     *
     * @return how many connections had all their rooms confirmed
     */
    public int open(int port, int count, IntFunction<String> token, IntFunction<List<String>> rooms,
            Receiver receiver, Duration timeout) throws InterruptedException {
        CountDownLatch subscribed = new CountDownLatch(count);
        Semaphore inFlight = new Semaphore(64);
        AtomicInteger confirmed = new AtomicInteger();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < count; i++) {
            if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            List<String> wanted = rooms.apply(i);
            AtomicInteger pending = new AtomicInteger(wanted.size());
            // As the real clients do (the hub's jobflow.js, the page): the token in an auth frame, not
            // in the URL, where proxies log it and the server keeps it with the handshake.
            String auth = new JsonObject().put("type", "auth").put("token", token.apply(i)).encode();
            AtomicBoolean authenticated = new AtomicBoolean();
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                    .setURI("/ws");
            client.connect(options).onComplete(ar -> {
                if (ar.failed()) {
                    inFlight.release();
                    failures.incrementAndGet();
                    firstProblem.compareAndSet(null, "connect: " + ar.cause());
                    subscribed.countDown();
                    return;
                }
                WebSocket ws = ar.result();
                sockets.add(ws);
                ws.closeHandler(v -> {
                    if (!closing) {
                        closedByServer.incrementAndGet();
                        firstProblem.compareAndSet(null, "closed by server: " + ws.closeStatusCode() + " "
                                + ws.closeReason());
                    }
                });
                ws.textMessageHandler(text -> {
                    long now = epochMicros();
                    JsonObject frame = new JsonObject(text);
                    switch (frame.getString("type", "")) {
                        case "message" -> {
                            messages.incrementAndGet();
                            receiver.onMessage(frame, now);
                        }
                        case "subscribed" -> {
                            if (pending.decrementAndGet() == 0) {
                                inFlight.release();
                                confirmed.incrementAndGet();
                                subscribed.countDown();
                            }
                        }
                        case "error" -> {
                            errorFrames.incrementAndGet();
                            firstProblem.compareAndSet(null, "error frame: " + text);
                        }
                        case "authenticated" -> {
                            if (authenticated.compareAndSet(false, true)) {
                                for (String room : wanted) {
                                    ws.writeTextMessage(
                                            new JsonObject().put("type", "subscribe").put("room", room).encode());
                                }
                            }
                        }
                        default -> {
                            // unsubscribed: nothing to do
                        }
                    }
                });
                ws.writeTextMessage(auth);
            });
        }
        subscribed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return confirmed.get();
    }

    public long messages() {
        return messages.get();
    }

    public int failures() {
        return failures.get() + closedByServer.get();
    }

    public int errorFrames() {
        return errorFrames.get();
    }

    public String firstProblem() {
        return firstProblem.get();
    }

    public static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    @Override
    public void close() {
        closing = true;
        sockets.forEach(ws -> ws.close());
        client.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null)
                .join();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null)
                .join();
    }
}

package dev.jobflow.hub.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.vertx.core.json.JsonObject;

/**
 * A real WebSocket client (java.net.http) that records every frame it receives and its close code.
 * With {@code reading=false} it stops reading after the first frames (a slow consumer).
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final boolean reading;
    private volatile WebSocket socket;

    private WsClient(boolean reading) {
        this.reading = reading;
    }

    public static WsClient connect(String baseUrl, String token) {
        return connect(baseUrl, token, true);
    }

    public static WsClient connect(String baseUrl, String token, boolean reading) {
        WsClient client = new WsClient(reading);
        String url = baseUrl.replaceFirst("^http", "ws") + "/ws" + (token == null ? "" : "?token=" + token);
        client.socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(url), client).orTimeout(10, TimeUnit.SECONDS)
                .join();
        return client;
    }

    public WsClient send(JsonObject frame) {
        socket.sendText(frame.encode(), true).orTimeout(10, TimeUnit.SECONDS).join();
        return this;
    }

    public WsClient sendRaw(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
        return this;
    }

    public WsClient subscribe(String room) {
        return send(new JsonObject().put("type", "subscribe").put("room", room));
    }

    public WsClient subscribe(String room, long since, String epoch) {
        return send(new JsonObject().put("type", "subscribe").put("room", room).put("since", since).put("epoch", epoch));
    }

    /** Waits until a frame matches, returns it. */
    public JsonObject await(Predicate<JsonObject> match, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (JsonObject frame : frames) {
                if (match.test(frame)) {
                    return frame;
                }
            }
            pause();
        }
        throw new AssertionError("no matching frame within " + timeout + "; got " + frames);
    }

    public JsonObject awaitType(String type, String room) {
        return await(f -> type.equals(f.getString("type")) && (room == null || room.equals(f.getString("room"))),
                Duration.ofSeconds(10));
    }

    /** The messages received for {@code room}, in arrival order. */
    public List<JsonObject> messages(String room) {
        List<JsonObject> result = new ArrayList<>();
        for (JsonObject frame : frames) {
            if ("message".equals(frame.getString("type")) && room.equals(frame.getString("room"))) {
                result.add(frame);
            }
        }
        return result;
    }

    /** Waits until {@code room} has at least {@code count} messages. */
    public List<JsonObject> awaitMessages(String room, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<JsonObject> messages = messages(room);
            if (messages.size() >= count) {
                return messages;
            }
            pause();
        }
        throw new AssertionError("room " + room + ": " + messages(room).size() + " of " + count + " messages within "
                + timeout);
    }

    public List<JsonObject> frames() {
        return List.copyOf(frames);
    }

    /** The close code the server sent, waiting up to {@code timeout}. */
    public int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("not closed within " + timeout + "; frames " + frames);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Starts reading again (for a client created with reading=false). */
    public void resumeReading() {
        socket.request(Long.MAX_VALUE);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(reading ? Long.MAX_VALUE : 1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(new JsonObject(partial.toString()));
            partial.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10); // polling interval of a condition wait with a deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

package dev.jobflow.hub.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.json.JsonObject;

/**
 * What the browser client does, in Java for the failover test: subscribes to one room; after any
 * disconnect it connects to the next hub and resumes from the last offset it received.
 */
public final class ResumingClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<String> hubs;
    private final String token;
    private final String room;
    private final List<JsonObject> messages = new CopyOnWriteArrayList<>();
    private final List<JsonObject> subscribed = new CopyOnWriteArrayList<>();
    private final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    private final AtomicInteger hub;
    private volatile boolean reconnect = true;
    private volatile long lastOffset = -1;
    private volatile String epoch;
    private volatile WebSocket socket;

    public ResumingClient(List<String> hubs, int firstHub, String token, String room) {
        this.hubs = hubs;
        this.hub = new AtomicInteger(firstHub);
        this.token = token;
        this.room = room;
        connect();
    }

    private void connect() {
        String url = hubs.get(hub.get() % hubs.size()).replaceFirst("^http", "ws") + "/ws?token=" + token;
        HTTP.newWebSocketBuilder().buildAsync(URI.create(url), new Listener()).orTimeout(10, TimeUnit.SECONDS)
                .whenComplete((ws, failure) -> {
                    if (failure != null) {
                        retry();
                    } else {
                        socket = ws;
                        JsonObject subscribe = new JsonObject().put("type", "subscribe").put("room", room);
                        if (lastOffset >= 0) {
                            subscribe.put("since", lastOffset).put("epoch", epoch);
                        }
                        ws.sendText(subscribe.encode(), true);
                    }
                });
    }

    private void retry() {
        if (reconnect) {
            hub.incrementAndGet();
            CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(this::connect);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject frame = new JsonObject(partial.toString());
                partial.setLength(0);
                switch (frame.getString("type")) {
                    case "message" -> {
                        messages.add(frame);
                        lastOffset = frame.getLong("offset");
                        epoch = frame.getString("epoch");
                    }
                    case "subscribed" -> {
                        subscribed.add(frame);
                        epoch = frame.getString("epoch");
                        if (lastOffset < 0) {
                            lastOffset = frame.getLong("offset");
                        }
                    }
                    default -> {
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCodes.add(statusCode);
            retry();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCodes.add(-1);
            retry();
        }
    }

    public List<JsonObject> messages() {
        return List.copyOf(messages);
    }

    public List<JsonObject> subscribedFrames() {
        return List.copyOf(subscribed);
    }

    public List<Integer> closeCodes() {
        return List.copyOf(closeCodes);
    }

    public boolean subscribedOnce() {
        return !subscribed.isEmpty();
    }

    /** Stops reconnecting (the test is about to end or to observe a final close). */
    public void stopReconnecting() {
        reconnect = false;
    }

    @Override
    public void close() {
        reconnect = false;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }
}

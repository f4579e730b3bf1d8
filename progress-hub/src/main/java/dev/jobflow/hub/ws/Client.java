package dev.jobflow.hub.ws;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.json.JsonObject;

import dev.jobflow.hub.auth.Grant;

/** The state of one WebSocket connection: its grant, its rooms and its outbox. */
final class Client {
    final WebSocketConnection connection;
    final Outbox outbox;
    /** Sized for the few rooms a connection usually holds (it grows when needed). */
    final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>(4);
    private final AtomicBoolean closing = new AtomicBoolean();
    volatile Grant grant;
    /** Job rooms joined as the subject's own jobs (own_jobs): a refreshed grant for the subject keeps them. */
    final Set<String> ownedRooms = ConcurrentHashMap.newKeySet();
    volatile long expiryTimer = -1;
    /**
     * Whether a token is being verified off the event loop (a key-pair signature: its keys may have to
     * be fetched); the frames that arrive meanwhile wait in {@link #pending}. Both are touched on the
     * connection's context only.
     */
    boolean verifying;
    /** Null while nothing waits (most connections never wait: heap per connection). */
    ArrayDeque<JsonObject> pending;
    /** The timer that refuses a connection sending no token in time; cancelled once authenticated. */
    volatile long authTimer = -1;

    Client(WebSocketConnection connection, int maxFrames, int maxBytes, Runnable onSlow) {
        this.connection = connection;
        this.outbox = new Outbox(VertxSockets.of(connection), maxFrames, maxBytes, onSlow);
    }

    String id() {
        return connection.id();
    }

    /** Closes once with {@code code}; later calls do nothing. True when this call closed it. */
    boolean close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            outbox.close();
            connection.close(new CloseReason(code, reason)).subscribe().with(ok -> {
            }, failure -> {
            });
            return true;
        }
        return false;
    }

    boolean closing() {
        return closing.get();
    }
}

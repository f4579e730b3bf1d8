package dev.jobflow.hub.ws;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import dev.jobflow.hub.auth.Grant;

/** The state of one WebSocket connection: its grant, its rooms and its outbox. */
final class Client {
    private static final AtomicLong IDS = new AtomicLong();
    /** This replica's number for the connection (log lines, the drain). */
    final long id = IDS.incrementAndGet();
    final ServerWebSocket socket;
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
     * connection's event loop only.
     */
    boolean verifying;
    /** Null while nothing waits (most connections never wait: heap per connection). */
    ArrayDeque<JsonObject> pending;
    /** The timer that refuses a connection sending no token in time; cancelled once authenticated. */
    volatile long authTimer = -1;

    /** {@code onSlow} is told when this client's outbox overflows (a slow consumer). */
    Client(ServerWebSocket socket, ChannelHandlerContext channel, int maxFrames, int maxBytes, Consumer<Client> onSlow) {
        this.socket = socket;
        this.outbox = new Outbox(socket, channel, maxFrames, maxBytes, () -> onSlow.accept(this));
    }

    /**
     * Closes once with {@code code} (just marks it closed when the socket is closed already); later calls
     * do nothing. True when this call closed it.
     */
    boolean close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            outbox.close();
            if (!socket.isClosed()) {
                socket.close((short) code, reason);
            }
            return true;
        }
        return false;
    }

    boolean closing() {
        return closing.get();
    }
}

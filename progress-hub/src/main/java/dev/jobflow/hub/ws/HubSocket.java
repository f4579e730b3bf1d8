package dev.jobflow.hub.ws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;

import dev.jobflow.hub.auth.AuthException;
import dev.jobflow.hub.auth.Grant;
import dev.jobflow.hub.auth.JobOwners;
import dev.jobflow.hub.auth.TokenVerifier;
import dev.jobflow.hub.config.HubConfig;
import dev.jobflow.hub.drain.DrainState;
import dev.jobflow.hub.log.Frames;
import dev.jobflow.hub.log.RoomBus;

/**
 * {@code /ws}: JSON frames {@code auth}, {@code subscribe}, {@code unsubscribe} in; {@code message},
 * {@code subscribed}, {@code unsubscribed}, {@code authenticated}, {@code error} out; close codes in
 * {@link CloseCodes}. The token comes in the {@code token} query parameter or an {@code auth} frame.
 * <p>
 * Served by a plain Vert.x WebSocket on the HTTP router: a connection costs its socket, a {@link Client}
 * and its rooms, nothing more (no per-connection copy of the handshake, context or maps of a framework
 * endpoint), and every handler runs on the connection's event loop. The codec's limits are Quarkus'
 * {@code quarkus.http.websocket-server.max-message-size} and {@code max-frame-size}.
 */
@ApplicationScoped
public class HubSocket {
    private static final Logger LOG = Logger.getLogger(HubSocket.class);
    private static final int MAX_ROOM_LENGTH = 200;

    private final Connections connections;
    private final TokenVerifier verifier;
    private final JobOwners owners;
    private final RoomBus bus;
    private final Replays replays;
    private final HubConfig.Ws config;
    private final Vertx vertx;
    private final DrainState drain;
    private final int maxMessageSize;
    private final int maxFrameSize;

    HubSocket(Connections connections, TokenVerifier verifier, JobOwners owners, RoomBus bus, Replays replays,
            HubConfig config, Vertx vertx, DrainState drain,
            @ConfigProperty(name = "quarkus.http.websocket-server.max-message-size") int maxMessageSize,
            @ConfigProperty(name = "quarkus.http.websocket-server.max-frame-size") int maxFrameSize) {
        this.maxMessageSize = maxMessageSize;
        this.maxFrameSize = maxFrameSize;
        this.connections = connections;
        this.verifier = verifier;
        this.owners = owners;
        this.bus = bus;
        this.replays = replays;
        this.config = config.ws();
        this.vertx = vertx;
        this.drain = drain;
    }

    void install(@Observes Router router) {
        router.get("/ws").handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
            ctx.fail(426); // a plain GET: problem+json 426 (Upgrade Required)
            return;
        }
        // the connection's place in its Netty pipeline, where the outbox writes its frames (Outbox)
        ChannelHandlerContext channel = ((ConnectionBase) ctx.request().connection()).channelHandlerContext();
        ctx.request().toWebSocket().onSuccess(socket -> open(socket, channel)).onFailure(failure -> {
            if (!ctx.response().headWritten()) {
                ctx.fail(400); // a handshake Vert.x refused without answering (a bad key or version)
            }
        });
    }

    private void open(ServerWebSocket socket, ChannelHandlerContext channel) {
        Client client = new Client(socket, channel, config.outboxFrames(), config.outboxBytes(), this::slow);
        connections.add(client);
        socket.textMessageHandler(text -> onMessage(client, text));
        socket.binaryMessageHandler(bytes -> client.outbox
                .offer(Frames.error("bad_frame", "frames must be text: JSON objects", null)));
        socket.exceptionHandler(error -> onError(client, error));
        socket.closeHandler(ignored -> onClose(client));
        if (drain.draining()) {
            client.close(CloseCodes.DRAINING, "draining: reconnect");
            return;
        }
        String token = queryParam(socket.query(), "token");
        if (token != null && !token.isBlank()) {
            authenticate(client, token);
        } else {
            client.authTimer = vertx.setTimer(config.authTimeout().toMillis(), id -> {
                if (client.grant == null && !client.closing()) {
                    refuse(client, "no token within " + config.authTimeout().toSeconds() + "s");
                }
            });
        }
    }

    private void onMessage(Client client, String text) {
        if (client.closing()) {
            return;
        }
        JsonObject frame;
        try {
            frame = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            client.outbox.offer(Frames.error("bad_frame", "a frame must be a JSON object", null));
            return;
        }
        if (client.verifying) {
            // a token is being verified off the event loop: its frames wait, in order, for the answer
            if (client.pending == null) {
                client.pending = new ArrayDeque<>(4);
            }
            if (client.pending.size() >= config.maxRooms()) {
                refuse(client, "too many frames before the token was verified");
            } else {
                client.pending.add(frame);
            }
            return;
        }
        handle(client, frame);
    }

    private void handle(Client client, JsonObject frame) {
        String type = frame.getValue("type") instanceof String s ? s : "";
        switch (type) {
            case "auth" -> authenticate(client, frame.getValue("token") instanceof String s ? s : null);
            case "subscribe" -> subscribe(client, frame);
            case "unsubscribe" -> unsubscribe(client, frame);
            default -> client.outbox.offer(Frames.error("bad_frame",
                    "type must be one of auth, subscribe, unsubscribe", null));
        }
    }

    private void onClose(Client client) {
        client.close(1000, "closed"); // marks it closing: nothing more is queued or written
        client.subscriptions.values().forEach(s -> bus.unsubscribe(s.room(), s));
        client.subscriptions.clear();
        if (client.expiryTimer >= 0) {
            vertx.cancelTimer(client.expiryTimer);
        }
        if (client.authTimer >= 0) {
            vertx.cancelTimer(client.authTimer);
        }
        connections.remove(client);
    }

    /**
     * A failure of a connection: one WARN line naming it, no stack trace and nothing of what the client
     * sent (a client must not be able to flood the log). A message over the message limit closes the
     * connection with 1009; a single frame over the codec's frame limit has dropped the connection
     * already (the client sees 1006); a client that went away is no failure.
     */
    private void onError(Client client, Throwable error) {
        if (error instanceof HttpClosedException) {
            return; // the client went away: the close handler cleans up
        }
        if (error instanceof IllegalStateException && String.valueOf(error.getMessage()).contains("max message size")) {
            LOG.warnf("connection %d closed with %d: a message over %d bytes", client.id, CloseCodes.TOO_BIG,
                    maxMessageSize);
            client.close(CloseCodes.TOO_BIG, "message too big");
        } else if (error instanceof CorruptedWebSocketFrameException corrupt
                && corrupt.closeStatus().code() == CloseCodes.TOO_BIG) {
            LOG.warnf("connection %d closed: a frame over %d bytes", client.id, maxFrameSize);
            client.close(CloseCodes.TOO_BIG, "frame too big");
        } else {
            LOG.warnf("connection %d failed: %s", client.id, error.getClass().getSimpleName());
            client.close(1011, "internal error");
        }
    }

    private void authenticate(Client client, String token) {
        if (verifier.needsKeys(token)) {
            // signed with a key pair (job-api's or the identity provider's): verified off the event loop,
            // then back on this context
            Context context = io.vertx.core.Vertx.currentContext();
            client.verifying = true;
            verifier.verifyWithKeys(token).subscribe().with(
                    grant -> onContext(context, () -> {
                        accept(client, grant);
                        verified(client);
                    }),
                    failure -> onContext(context, () -> {
                        refuse(client, failure instanceof AuthException ? failure.getMessage()
                                : "the token cannot be verified");
                        verified(client);
                    }));
            return;
        }
        Grant grant;
        try {
            grant = verifier.verify(token);
        } catch (AuthException e) {
            refuse(client, e.getMessage());
            return;
        }
        accept(client, grant);
    }

    /** The verification of a token ended: the frames that waited for it are handled in order. */
    private void verified(Client client) {
        client.verifying = false;
        while (client.pending != null && !client.pending.isEmpty() && !client.verifying && !client.closing()) {
            handle(client, client.pending.poll());
        }
        if (client.closing() || (client.pending != null && client.pending.isEmpty())) {
            client.pending = null;
        }
    }

    private static void onContext(Context context, Runnable action) {
        if (context == null) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    private void accept(Client client, Grant grant) {
        if (client.closing()) {
            return;
        }
        Grant previous = client.grant;
        if (previous != null && !previous.subject().equals(grant.subject())) {
            connections.countRefusal();
            client.close(CloseCodes.FORBIDDEN, "a refreshed token must name the same subject");
            return;
        }
        if (previous == null && !connections.acquire(grant.subject(), config.maxConnectionsPerSubject())) {
            client.close(CloseCodes.TOO_MANY_CONNECTIONS,
                    "more than " + config.maxConnectionsPerSubject() + " connections for this subject");
            return;
        }
        client.grant = grant;
        if (client.authTimer >= 0) {
            vertx.cancelTimer(client.authTimer); // frees the timer now, not after the auth timeout
            client.authTimer = -1;
        }
        // a refreshed grant may be narrower: drop the rooms it no longer allows
        for (Subscription subscription : List.copyOf(client.subscriptions.values())) {
            if (!grant.allows(subscription.room())
                    && !(grant.ownJobs() && client.ownedRooms.contains(subscription.room()))) {
                drop(client, subscription.room());
                client.outbox.offer(Frames.error("forbidden", "the refreshed token does not grant this room",
                        subscription.room()));
            }
        }
        if (client.expiryTimer >= 0) {
            vertx.cancelTimer(client.expiryTimer);
        }
        long delay = Math.max(1, Duration.between(Instant.now(), grant.expiresAt()).toMillis());
        client.expiryTimer = vertx.setTimer(delay, id -> {
            if (client.grant == grant) {
                refuse(client, "token expired");
            }
        });
        client.outbox.offer(Frames.authenticated(grant.subject(), grant.expiresAt().getEpochSecond()));
    }

    private void refuse(Client client, String reason) {
        connections.countRefusal();
        client.close(CloseCodes.UNAUTHORIZED, reason);
    }

    private void slow(Client client) {
        if (!client.closing()) {
            // Called under the locks of the delivery (the room bus's, a subscription's). Closing may run
            // the connection's close handler at once, and that unsubscribes from the bus: under those
            // locks, a deadlock that stopped every room's delivery. So the close runs on its own.
            vertx.runOnContext(() -> {
                if (client.close(CloseCodes.SLOW_CONSUMER, "slow consumer: outbound buffer full")) {
                    connections.countSlowConsumer();
                    LOG.debugf("closed slow consumer %d", client.id);
                }
            });
        }
    }

    private void subscribe(Client client, JsonObject frame) {
        String room = frame.getValue("room") instanceof String s ? s.strip() : null;
        if (room == null || room.isEmpty() || room.length() > MAX_ROOM_LENGTH) {
            client.outbox.offer(Frames.error("bad_frame", "room must be a non-empty string of at most "
                    + MAX_ROOM_LENGTH + " characters", null));
            return;
        }
        Object sinceValue = frame.getValue("since");
        Object epochValue = frame.getValue("epoch");
        Object latestValue = frame.getValue("latest");
        if ((sinceValue != null && !(sinceValue instanceof Number n && n.longValue() >= 0 && n.doubleValue() % 1 == 0))
                || (epochValue != null && !(epochValue instanceof String))
                || (latestValue != null && !(latestValue instanceof Boolean))) {
            client.outbox.offer(Frames.error("bad_frame",
                    "since must be a non-negative integer, epoch a string, latest a boolean", room));
            return;
        }
        Grant grant = client.grant;
        if (grant == null) {
            client.outbox.offer(Frames.error("unauthorized", "send an auth frame with a token first", room));
            return;
        }
        if (grant.allows(room) || client.ownedRooms.contains(room)) {
            join(client, room, sinceValue, (String) epochValue, Boolean.TRUE.equals(latestValue));
        } else if (grant.ownJobs() && JobOwners.isJobRoom(room)) {
            // the room of one of the subject's own jobs: the hub reads the job's owner itself
            owners.owns(grant.subject(), room).subscribe().with(owned -> {
                if (client.closing() || client.grant == null || !client.grant.subject().equals(grant.subject())) {
                    return;
                }
                if (owned) {
                    client.ownedRooms.add(room);
                    join(client, room, sinceValue, (String) epochValue, Boolean.TRUE.equals(latestValue));
                } else {
                    forbidden(client, room);
                }
            }, failure -> {
                LOG.warnf("owner of room %s not read: %s", room, failure.getClass().getSimpleName());
                client.outbox.offer(Frames.error("unavailable", "the job's owner cannot be read; retry", room));
            });
        } else {
            forbidden(client, room);
        }
    }

    private void forbidden(Client client, String room) {
        connections.countRefusal();
        client.outbox.offer(Frames.error("forbidden", "the token does not grant this room", room));
    }

    private void join(Client client, String room, Object sinceValue, String epoch, boolean latest) {
        if (!client.subscriptions.containsKey(room) && client.subscriptions.size() >= config.maxRooms()) {
            client.outbox.offer(Frames.error("limit", "at most " + config.maxRooms() + " rooms per connection", room));
            return;
        }
        if (!bus.started()) {
            client.outbox.offer(Frames.error("unavailable", "the hub is starting; retry", room));
            return;
        }
        drop(client, room);
        boolean coalesce = config.coalescePrefixes().stream().anyMatch(room::startsWith);
        Subscription subscription = new Subscription(room, client.outbox, coalesce,
                config.resumeMax() + config.outboxFrames(), () -> slow(client));
        client.subscriptions.put(room, subscription);
        long cursor = bus.subscribe(room, subscription);
        Long since = sinceValue == null ? null : ((Number) sinceValue).longValue();
        replays.replay(room, cursor, since, epoch, latest)
                .subscribe().with(replay -> subscription.goLive(replay.frames(), replay.lastSent()), failure -> {
                    LOG.warnf("replay of room %s failed: %s", room, failure.getMessage());
                    drop(client, room);
                    client.outbox.offer(Frames.error("unavailable", "the room's history cannot be read; retry", room));
                });
    }

    private void unsubscribe(Client client, JsonObject frame) {
        String room = frame.getValue("room") instanceof String s ? s.strip() : null;
        if (room == null || room.isEmpty()) {
            client.outbox.offer(Frames.error("bad_frame", "room must be a non-empty string", null));
            return;
        }
        drop(client, room);
        client.outbox.offer(Frames.unsubscribed(room));
    }

    private static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private void drop(Client client, String room) {
        Subscription old = client.subscriptions.remove(room);
        if (old != null) {
            bus.unsubscribe(room, old);
        }
    }
}

package dev.jobflow.hub.ws;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.WebSocketBase;

/**
 * The Vert.x socket under a websockets-next connection, for the outbox's writes. websockets-next
 * keeps it package-private ({@code WebSocketConnectionBase.webSocket()}) and offers only a Mutiny
 * {@code sendText} per frame (a {@code Uni} and a captured context each); the outbox writes runs of
 * frames and awaits one completion per run. Looked up once, at class initialisation: a websockets-next
 * that no longer has it fails the hub's first connection (and every hub test), not a delivery in
 * production.
 */
final class VertxSockets {
    private static final MethodHandle WEB_SOCKET;

    static {
        try {
            Class<?> base = Class.forName("io.quarkus.websockets.next.runtime.WebSocketConnectionBase", false,
                    WebSocketConnection.class.getClassLoader());
            WEB_SOCKET = MethodHandles.privateLookupIn(base, MethodHandles.lookup())
                    .findVirtual(base, "webSocket", MethodType.methodType(WebSocketBase.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private VertxSockets() {
    }

    static WebSocketBase of(WebSocketConnection connection) {
        try {
            return (WebSocketBase) WEB_SOCKET.invoke(connection);
        } catch (Throwable e) {
            throw new IllegalStateException("websockets-next connection without a Vert.x socket", e);
        }
    }
}

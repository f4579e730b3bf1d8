package dev.jobflow.edge;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * The refusals Vert.x and Quarkus answer before JAX-RS, as problem+json (RFC 9457) like every other
 * error: a request line longer than {@code jobflow.http.max-uri-length} (414), headers larger than
 * {@code jobflow.http.max-header-size} (431), a body over {@code quarkus.http.limits.max-body-size}
 * (413, whether the size is announced in Content-Length or found while reading an HTTP/1.1 chunked body), an
 * unknown path (404) and every failure that reaches the router. The HTTP codec's own limits
 * ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) are set above these
 * so that the request reaches this class; a request beyond the codec's limits is refused by Vert.x
 * itself with a bare status and the connection closed (docs/api-errors.md). Nothing of the request
 * is logged for a refusal.
 */
@ApplicationScoped
public class HttpEdge {
    private static final Logger LOG = Logger.getLogger(HttpEdge.class);
    /** How long the rest of a refused body is read (and dropped) before the connection is closed. */
    private static final long LINGER_MS = 2000;
    private static final List<Integer> ROUTER_STATUSES = List.of(400, 404, 405, 406, 413, 414, 415, 431, 500);
    private static final Map<Integer, String> DETAILS = Map.of(
            400, "the request cannot be read",
            404, "no such resource",
            405, "this resource does not accept this method",
            406, "this resource cannot answer in an accepted media type",
            415, "this resource does not accept this content type");

    private final int maxUriLength;
    private final int maxHeaderSize;
    private final long maxBodySize;

    HttpEdge(@ConfigProperty(name = "jobflow.http.max-uri-length", defaultValue = "8192") int maxUriLength,
            @ConfigProperty(name = "jobflow.http.max-header-size", defaultValue = "16384") int maxHeaderSize,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxUriLength = maxUriLength;
        this.maxHeaderSize = maxHeaderSize;
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        // before Quarkus' own upload limit (which answers a bare 413) and before any resource
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodySize).setDeleteUploadedFilesOnEnd(true);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> limits(ctx, body));
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(HttpEdge::emptyBody);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).failureHandler(this::failure);
        for (int status : ROUTER_STATUSES) {
            router.errorHandler(status, this::failure);
        }
    }

    private void limits(RoutingContext ctx, BodyHandler body) {
        HttpServerRequest request = ctx.request();
        if (request.uri().length() > maxUriLength) {
            refuse(ctx, 414, "URI too long", "the request URI may have at most " + maxUriLength + " characters");
            return;
        }
        if (headerSize(request.headers()) > maxHeaderSize) {
            refuse(ctx, 431, "Request header fields too large",
                    "the request headers may have at most " + maxHeaderSize + " bytes together");
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            if (!validLength(length)) {
                refuse(ctx, 400, "Bad request", "the Content-Length header is not a number");
            } else if (Long.parseLong(length) > maxBodySize) {
                tooLarge(ctx);
            } else {
                ctx.next(); // JAX-RS reads the body itself
            }
            return;
        }
        if (request.version() != HttpVersion.HTTP_2 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                && !request.isEnded()) {
            // a chunked body: read here up to the limit (413 problem beyond it), JAX-RS takes it from the context.
            // Not on HTTP/2, where JAX-RS cannot pause a request that has been read; there Quarkus' own limit applies
            body.handle(ctx);
            return;
        }
        ctx.next();
    }

    /** A chunked body with no data leaves no buffer; JAX-RS would then wait for an end that has passed. */
    private static void emptyBody(RoutingContext ctx) {
        if (ctx.body().buffer() == null && ((RoutingContextInternal) ctx).seenHandler(RoutingContextInternal.BODY_HANDLER)
                && ctx.request().isEnded()) {
            ((RoutingContextInternal) ctx).setBody(Buffer.buffer());
        }
        ctx.next();
    }

    private void failure(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        int status = ctx.statusCode();
        Throwable failure = ctx.failure();
        if (failure instanceof HttpException http) {
            status = http.getStatusCode();
        }
        if (status < 400) {
            status = 500;
        }
        if (status == 413) {
            tooLarge(ctx);
            return;
        }
        if (status >= 500) {
            String errorId = UUID.randomUUID().toString();
            LOG.errorf(failure, "request failed (error id %s)", errorId);
            send(ctx, status, reason(status), "the request failed; see the service log (error id " + errorId + ")");
            return;
        }
        send(ctx, status, reason(status), DETAILS.getOrDefault(status, reason(status).toLowerCase()));
    }

    private void tooLarge(RoutingContext ctx) {
        refuse(ctx, 413, "Request body too large", "the request body may have at most " + maxBodySize + " bytes");
    }

    /**
     * A refusal that may come before the request was read to its end: answered with Connection: close;
     * the rest of the body is read and dropped for at most {@link #LINGER_MS} before the connection is
     * closed, so that the client reads the answer instead of a reset.
     */
    private static void refuse(RoutingContext ctx, int status, String title, String detail) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        if (request.version() == HttpVersion.HTTP_2) {
            send(ctx, status, title, detail); // ends this stream only; the connection carries others
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        response.endHandler(ignored -> {
            if (request.isEnded()) {
                request.connection().close();
                return;
            }
            long timer = ctx.vertx().setTimer(LINGER_MS, id -> request.connection().close());
            request.handler(dropped -> {
            }).endHandler(end -> {
                ctx.vertx().cancelTimer(timer);
                request.connection().close();
            }).resume();
        });
        send(ctx, status, title, detail);
    }

    static void send(RoutingContext ctx, int status, String title, String detail) {
        String body = new JsonObject().put("type", "about:blank").put("title", title).put("status", status)
                .put("detail", detail).encode();
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json").end(body);
    }

    private static String reason(int status) {
        return HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    private static boolean validLength(String length) {
        return length.length() <= 18 && !length.isEmpty() && length.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The size of the header section as sent: name, ": ", value and CRLF for each field. */
    private static long headerSize(MultiMap headers) {
        long size = 0;
        for (Map.Entry<String, String> header : headers) {
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        return size;
    }
}

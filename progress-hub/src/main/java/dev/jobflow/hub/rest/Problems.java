package dev.jobflow.hub.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.jobflow.edge.AllowedMethods;

/** RFC 9457 problem+json responses of the hub's REST edge. */
public class Problems {
    private static final Logger LOG = Logger.getLogger(Problems.class);

    @Inject
    AllowedMethods allowedMethods;

    public static Response of(int status, String title, String detail) {
        return of(status, title, detail, Map.of());
    }

    /** A problem with extension members beside the standard ones (RFC 9457 §3.2). */
    public static Response of(int status, String title, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        return Response.status(status).type("application/problem+json").entity(body).build();
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        String detail = e instanceof UnrecognizedPropertyException u ? "unknown field '" + u.getPropertyName() + "'"
                : "the body does not have the expected shape";
        return of(400, "Malformed request body", detail);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return of(400, "Malformed request body", "the body is not valid JSON of the expected shape");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException) {
            return json(null);
        }
        int status = e.getResponse().getStatus();
        if (e instanceof NotFoundException && e.getCause() != null) {
            // JAX-RS answers 404 for a path or query parameter it cannot convert: the request is at fault
            return of(400, "Invalid request", "a path or query parameter cannot be read");
        }
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this resource does not accept this method";
            case 406 -> "this resource cannot answer in an accepted media type";
            case 415 -> "this resource does not accept this content type";
            default -> e.getMessage();
        };
        Response problem = of(status, e.getResponse().getStatusInfo().getReasonPhrase(), detail);
        if (status == 405) {
            Set<String> allowed = e.getResponse().getAllowedMethods();
            if (allowed.isEmpty()) {
                allowed = allowedMethods.of("/" + uri.getPath().replaceFirst("^/+", ""));
            }
            return Response.fromResponse(problem).allow(allowed).build();
        }
        return problem;
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return of(500, "Internal error", "the request failed; see the service log");
    }
}

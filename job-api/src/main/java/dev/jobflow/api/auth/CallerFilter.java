package dev.jobflow.api.auth;

import java.lang.reflect.Method;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.smallrye.mutiny.Uni;

import dev.jobflow.api.rest.Problem;

/**
 * Identifies the caller of every {@link CallerRequired} method before its body is read or
 * validated: without an identity the request ends with 401 and nothing is written.
 */
public class CallerFilter {
    private final Callers callers;
    private final CurrentCaller current;

    CallerFilter(Callers callers, CurrentCaller current) {
        this.callers = callers;
        this.current = current;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> identify(ResourceInfo resource, HttpHeaders headers) {
        Method method = resource.getResourceMethod();
        if (method == null || !method.isAnnotationPresent(CallerRequired.class)) {
            return Uni.createFrom().nullItem();
        }
        return callers.identify(headers).map(caller -> {
            current.set(caller);
            return (Response) null;
        }).onFailure(UnauthorizedException.class).recoverWithItem(e -> unauthorized(e.getMessage()));
    }

    /** 401 problem+json with the challenge RFC 9110 asks for. */
    public static Response unauthorized(String detail) {
        return Response.fromResponse(Problem.of(401, "Unauthorized", detail).response())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"job-api\"").build();
    }
}

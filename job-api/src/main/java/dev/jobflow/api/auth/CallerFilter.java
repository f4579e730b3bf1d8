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
 * Identifies the caller of every job-api endpoint before its body is read or validated, and checks
 * the {@link Right} the method needs ({@link CallerRequired}, {@link Right#READ} without it): without
 * an identity the request ends with 401, without the right with 403, and nothing is written.
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
        if (method == null || !resource.getResourceClass().getName().startsWith("dev.jobflow.api.")) {
            return Uni.createFrom().nullItem();
        }
        Right right = rightOf(method);
        if (right == Right.PUBLIC) {
            return Uni.createFrom().nullItem();
        }
        return callers.identify(headers).map(caller -> {
            current.set(caller);
            if (!caller.role().includes(right.least())) {
                return Problem.of(403, "Forbidden", "'" + caller.name() + "' (" + caller.role().json() + ") lacks the "
                        + "right " + right.json() + " (" + right.description() + ")").response();
            }
            return (Response) null;
        }).onFailure(UnauthorizedException.class).recoverWithItem(e -> unauthorized(e.getMessage()));
    }

    /** The right a resource method needs: its {@link CallerRequired}'s, else {@link Right#READ}. */
    public static Right rightOf(Method method) {
        CallerRequired required = method.getAnnotation(CallerRequired.class);
        return required == null ? Right.READ : required.value();
    }

    /** 401 problem+json with the challenge RFC 9110 asks for. */
    public static Response unauthorized(String detail) {
        return Response.fromResponse(Problem.of(401, "Unauthorized", detail).response())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"job-api\"").build();
    }
}
